import { reject } from './errors';

/**
 * Money is integer pence held in a JavaScript `number` that is a safe integer.
 *
 * Why not bigint: every event is JSON, and a safe integer survives JSON unchanged, while
 * a bigint must be carried as a string and converted at every edge. 2^53 pence is about
 * £90 trillion, far above any fund; every sum goes through `addPence`, which refuses to
 * leave the safe range, so precision can never be lost silently. No amount is ever a
 * fraction: `isPence` rejects 1.5 as it rejects -1.
 */
export type Pence = number;

export const isPence = (value: unknown): value is Pence => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

export const addPence = (a: Pence, b: Pence): Pence => {
  const sum = a + b;
  return Number.isSafeInteger(sum) ? sum : reject('COMMAND.INVALID', 'The amount is too large.');
};

export const sumPence = (amounts: readonly Pence[]): Pence => amounts.reduce(addPence, 0);
