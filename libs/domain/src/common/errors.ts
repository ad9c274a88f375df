/**
 * The one catalogue of rejection codes. Every rejection of every decider is a
 * `DomainError` with one of these codes and a plain message; nothing is written.
 * Messages never hold personal data (no reference, name, date of birth or pseudonym).
 */
export const ERROR_CODES = [
  'AUTH.FORBIDDEN',
  'COMMAND.INVALID',
  /** Raised by the application layer when a stream kept changing through every attempt. */
  'COMMAND.CONFLICT',
  /** Raised by the application layer: the client edited a revision of the record that is no longer its latest. */
  'EDIT.STALE_REVISION',
  'RESIDENT.NOT_FOUND',
  'RESIDENT.ALREADY_REGISTERED',
  'RESIDENT.ALREADY_VERIFIED',
  'RESIDENT.INVALID_REFERENCE',
  'RESIDENT.INVALID_DATE_OF_BIRTH',
  'RESIDENT.INVALID_WARD',
  'RESIDENT.INVALID_PERSONAL_DATA',
  /** The resident was erased: their stream refuses every command, and they cannot register again. */
  'RESIDENT.ERASED',
  /** Raised by the application when a resident's sealed personal data cannot be opened though they were not erased (fail closed). */
  'RESIDENT.PERSONAL_DATA_UNAVAILABLE',
  'REGISTER.INVALID_CSV',
  'FUND.NOT_FOUND',
  'FUND.ALREADY_EXISTS',
  'FUND.INVALID_DETAILS',
  'FUND.INVALID_SCHEDULE',
  'FUND.WRONG_PHASE',
  'FUND.TOO_EARLY',
  'FUND.RULES_FROZEN',
  'FUND.POT_NOT_FOUND',
  'FUND.POT_EXISTS',
  'FUND.BOROUGH_POT_EXISTS',
  'FUND.INVALID_POT',
  'FUND.NO_POTS',
  'FUND.RESULTS_NOT_READY',
  'FUND.REASON_REQUIRED',
  'FUND.UNKNOWN_WARD',
  'WARDS.INVALID',
  'IMPORT.MALFORMED',
  'IMPORT.MISMATCH',
  'PROPOSAL.NOT_FOUND',
  'PROPOSAL.ALREADY_EXISTS',
  'PROPOSAL.INVALID',
  /** The proposer is not a verified resident on the register. */
  'PROPOSAL.NOT_ELIGIBLE',
  'PROPOSAL.SUBMISSIONS_CLOSED',
  'PROPOSAL.LOCKED',
  'PROPOSAL.REVIEW_CLOSED',
  'PROPOSAL.ALREADY_REVIEWED',
  'PROPOSAL.UNKNOWN_POT',
  'PROPOSAL.OVER_POT_BUDGET',
  'PROPOSAL.MERGE_INVALID',
  'PROPOSAL.NOT_ACCEPTED',
  'BALLOT.VOTING_NOT_OPEN',
  'BALLOT.VOTING_CLOSED',
  'BALLOT.NOT_ELIGIBLE',
  'BALLOT.ALREADY_CAST',
  'BALLOT.NOT_FOUND',
  'BALLOT.VOIDED',
  'BALLOT.WRONG_BALLOT_TYPE',
  'BALLOT.DUPLICATE_PICK',
  'BALLOT.TOO_FEW_PICKS',
  'BALLOT.TOO_MANY_PICKS',
  'BALLOT.OVER_BUDGET',
  'BALLOT.INVALID_POINTS',
  'BALLOT.TOO_MANY_POINTS',
  'BALLOT.NOT_FROM_BATCH',
  /** A paper form names a number that no accepted proposal of its pot has. */
  'BALLOT.UNKNOWN_NUMBER',
  'PAPER_BATCH.NOT_FOUND',
  'PAPER_BATCH.ALREADY_EXISTS',
  'PAPER_BATCH.INVALID',
  /** A refused entry is taken up again only while it stands refused: once, until its ballot is refused again. */
  'PAPER_BATCH.NOT_REFUSED',
  'ALLOCATION.VOTING_NOT_CLOSED',
  'ALLOCATION.RULE_MISMATCH',
  'ALLOCATION.DIGEST_MISSING',
  'ALLOCATION.OVER_BUDGET',
  'ALLOCATION.AMOUNT_MISMATCH',
  'ALLOCATION.INVALID',
  'ALLOCATION.NOT_RECORDED',
  'ALLOCATION.ALREADY_RATIFIED',
  'ALLOCATION.NOT_RATIFIED',
  'ALLOCATION.ALREADY_PUBLISHED',
  'DELIVERY.WRONG_PHASE',
  'DELIVERY.NOT_FUNDED',
  'DELIVERY.INVALID',
  'DELIVERY.DUPLICATE_ENTRY',
  'DELIVERY.OVERSPEND_REASON_REQUIRED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Where a rejection points, for a client to show it at its field in its own language: the
 * input field (as the API names it) and the values its message holds. Never personal data.
 */
export interface ErrorDetails {
  readonly field?: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

/** A rejected command: a stable code for machines, a plain sentence for people. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Throws a `DomainError`; an expression, so guards read as one line. */
export const reject = (code: ErrorCode, message: string, details?: ErrorDetails): never => {
  throw new DomainError(code, message, details);
};

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
