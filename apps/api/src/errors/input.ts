import { Int } from '@nestjs/graphql';
import { ApiError } from './api-error';

/** An id as the domain takes it (`requireId`): letters, digits and `_ . : -`, at most 100. */
const ID = /^[A-Za-z0-9_.:-]{1,100}$/;

/**
 * The most any one amount may be: £1 billion, in pence. No pot, cost or spend comes near it;
 * a larger one is a typing mistake, and refusing it keeps every sum far from the safe range.
 */
export const MAX_AMOUNT_PENCE = 100_000_000_000;

/** Refuses, before any command, an id that no stream could be named after (too long, a path…). */
export function requireIds(ids: Record<string, string | readonly string[] | null | undefined>): void {
  for (const [field, value] of Object.entries(ids)) {
    for (const id of typeof value === 'string' ? [value] : (value ?? [])) {
      if (!ID.test(id)) throw new ApiError('INPUT.INVALID', `${field} is not a valid id: letters, digits, _ . : or -, at most 100.`);
    }
  }
}

/** An amount in pence within the platform's bounds. */
export function requireAmount(pence: number, field: string): number {
  if (pence > MAX_AMOUNT_PENCE) throw new ApiError('INPUT.INVALID', `${field} may be at most ${MAX_AMOUNT_PENCE} pence (£1 billion).`);
  return pence;
}

/** The ISO form of a DateTime argument; the scalar lets an unreadable time through as an invalid Date. */
export function isoTime(time: Date, field: string): string {
  if (Number.isNaN(time.getTime())) throw new ApiError('INPUT.INVALID', `${field} is not a time: give one like 2027-05-01T09:00:00Z.`);
  return time.toISOString();
}

/** The optional `expectedRevision` argument of a mutation that edits what the client read. */
export const EXPECTED_REVISION = {
  name: 'expectedRevision',
  type: () => Int,
  nullable: true,
  description: 'The revision you read; refused with EDIT.STALE_REVISION if it changed since, even by an edit landing at the same moment.',
} as const;
