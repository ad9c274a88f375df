import { InvalidInputError } from '../errors/event-store.errors';

/**
 * Serialises a value that must round-trip through JSON unchanged: plain objects, arrays,
 * strings, finite numbers, booleans and null. Anything JSON.stringify would silently drop
 * or alter (undefined, functions, symbols, bigint, NaN, Infinity, Dates, Maps, class
 * instances, cycles, lone surrogates) is rejected, naming the path.
 */
export function serialiseJson(value: unknown, field: string): string {
  const known = typeof value === 'object' && value !== null ? knownText.get(value) : undefined;
  if (known !== undefined) return known;
  assertPlainJson(value, field);
  return JSON.stringify(value);
}

/** The check of `serialiseJson` alone, for a writer that serialises a checked value its own way. */
export function assertPlainJson(value: unknown, field: string): void {
  // The fast walk builds no paths; only a rejected value is walked again to name the culprit.
  if (!isPlainJson(value, 0)) {
    findProblem(value, field, new Set());
    throw new InvalidInputError(field, 'is not plain JSON');
  }
}

/** See `withJsonText`. */
const knownText = new WeakMap<object, string>();

/**
 * Hands the store a value together with its JSON text, so that the store writes that text
 * instead of checking and serialising the value again. For a writer that has just made the
 * value by parsing text it checked itself (the audit chain's canonical copies of payloads): the
 * value must be plain JSON, the text its serialisation, and nobody may change the value after.
 */
export function withJsonText<T extends object>(value: T, text: string): T {
  knownText.set(value, text);
  return value;
}

const MAX_DEPTH = 256;

function isPlainJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
      return value.isWellFormed();
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      // Deeper than any real payload: treat as suspect (a cycle) and let findProblem say which.
      if (depth > MAX_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const k in value) if (!isPlainJson((value as Record<string, unknown>)[k], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

function findProblem(value: unknown, path: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) throw new InvalidInputError(path, 'holds a lone surrogate (not valid Unicode)');
      return;
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidInputError(path, `${value} is not representable in JSON`);
      return;
    case 'object': {
      if (value === null) return;
      if (ancestors.has(value)) throw new InvalidInputError(path, 'contains a cycle');
      if (ancestors.size >= MAX_DEPTH) throw new InvalidInputError(path, `nests deeper than ${MAX_DEPTH} levels`);
      ancestors.add(value);
      if (Array.isArray(value)) {
        value.forEach((v, i) => findProblem(v, `${path}[${i}]`, ancestors));
      } else {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          throw new InvalidInputError(
            path,
            proto?.constructor?.name ? `is an instance of ${proto.constructor.name}, not plain JSON` : 'is not a plain object',
          );
        }
        for (const [k, v] of Object.entries(value)) findProblem(v, `${path}.${k}`, ancestors);
      }
      ancestors.delete(value);
      return;
    }
    default:
      throw new InvalidInputError(path, `holds a value of type ${typeof value}, which JSON cannot carry`);
  }
}
