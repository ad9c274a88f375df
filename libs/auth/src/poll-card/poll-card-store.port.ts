/** A resident's printed code in force for a fund, as its keyed hash. */
export interface ActivePollCard {
  readonly fundId: string;
  readonly codeHash: string;
}

/** A stored card, as it is (for a node moving its cards to a shared store). */
export interface StoredPollCard {
  readonly fundId: string;
  readonly residentId: string;
  readonly codeHash: string;
  readonly issuedAt: number;
  readonly revokedAt: number | null;
}

/**
 * Printed voting codes, one per resident and fund, kept only as keyed hashes, beside the
 * residents' keys: one node's vault file, or the schema of a PostgreSQL vault shared by every
 * node (a card generated through one node signs in through any, and a revocation or a new
 * generation holds on all from the next sign-in). Issuing again replaces a resident's code;
 * revoking ends it. Failed sign-ins are counted per keyed hash of the reference typed.
 */
export interface PollCardStore {
  /** Issues (or replaces) the codes of many residents of a fund at once. */
  issueAll(fundId: string, cards: readonly { residentId: string; codeHash: string }[], now: number): Promise<void>;
  /** Ends a resident's code for a fund; false when none was in force. */
  revoke(fundId: string, residentId: string, now: number): Promise<boolean>;
  /** The resident's codes in force, by fund. */
  activeFor(residentId: string): Promise<ActivePollCard[]>;
  recordFailure(referenceHash: string, now: number): Promise<void>;
  failuresSince(referenceHash: string, since: number): Promise<number>;
  close(): Promise<void>;
}
