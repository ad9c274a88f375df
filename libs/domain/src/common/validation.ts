import { type ErrorCode, reject } from './errors';

/** Rejects unless `value` is a trimmed non-empty string of at most `max` characters. */
export const requireText = (value: unknown, max: number, code: ErrorCode, field: string): string => {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    return reject(code, `The ${field} must be between 1 and ${max} characters.`, { field: camelCase(field), params: { max } });
  }
  return value;
};

/** "estimated cost" → "estimatedCost": the input field a message's words name. */
export const camelCase = (words: string) => words.replace(/ (\w)/g, (_, c: string) => c.toUpperCase());

/** Rejects unless `value` is a non-empty identifier usable in a stream name. */
export const requireId = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.:-]{1,100}$/.test(value)) {
    return reject('COMMAND.INVALID', `The ${field} is not a valid identifier.`);
  }
  return value;
};

/** The exhaustiveness check of every switch: a new case breaks the build here. */
export const unreachable = (value: never): never => {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
};
