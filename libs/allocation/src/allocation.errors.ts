/** Stable codes of the allocation library's errors (never carrying personal data). */
export const ALLOCATION_ERROR_CODES = [
  'ALLOCATION.ARITHMETIC',
  'ALLOCATION.NOT_A_NUMBER',
  'ALLOCATION.INVALID_ELECTION',
  'ALLOCATION.UNKNOWN_RULE',
  'ALLOCATION.RULE_NOT_APPLICABLE',
  'ALLOCATION.SEED_REQUIRED',
  'ALLOCATION.ORDER_REQUIRED',
  'PABULIB.MALFORMED',
] as const;
export type AllocationErrorCode = (typeof ALLOCATION_ERROR_CODES)[number];

/** Every error the library throws: a stable `code` and a message for people. */
export class AllocationError extends Error {
  constructor(
    readonly code: AllocationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AllocationError';
  }
}
