/** What the index is told of a resident registered or imported. */
export interface ContactEntryInput {
  readonly residentId: string;
  readonly reference: string;
  readonly email?: string;
}

/**
 * Finds a resident by their e-mail address for signing in, without the address in clear: rows
 * keyed by a keyed hash of the normalised address. Recorded when a resident is registered or
 * imported (the only moment the reference and the address are both in hand: events hold
 * neither), removed when the resident is erased.
 */
export interface ContactIndexPort {
  record(entry: ContactEntryInput): Promise<void>;
  /** `record` for a group, in one write (a register import's new residents). */
  recordAll(entries: readonly ContactEntryInput[]): Promise<void>;
  remove(residentId: string): Promise<void>;
}
