/** What a witness keeps of each signed checkpoint: enough to prove it was in the log. */
export interface WitnessRecord {
  readonly sequence: number;
  /** The checkpoint event's id and its position in the log. */
  readonly eventId: string;
  readonly position: string;
  readonly upToPosition: string;
  readonly eventCount: number;
  readonly merkleRoot: string;
  readonly signature: string;
  readonly keyId: string;
}

/**
 * Somewhere outside the event store that keeps every signed checkpoint, append-only: the log
 * alone cannot prove that its own tail is still there, a copy kept elsewhere can.
 */
export interface WitnessPort {
  /** Durably records one checkpoint; recording the same sequence again is harmless. */
  record(record: WitnessRecord): Promise<void>;
  /** Every record, in the order written. */
  readAll(): Promise<WitnessRecord[]>;
}
