/** Stable codes of what `audit verify` finds. */
export const AUDIT_FAILURE_CODES = [
  'AUDIT.HASH_MISMATCH',
  'AUDIT.CHAIN_BROKEN',
  'AUDIT.CHAIN_MISSING',
  'AUDIT.CHECKPOINT_MALFORMED',
  'AUDIT.CHECKPOINT_ROOT_MISMATCH',
  'AUDIT.CHECKPOINT_SIGNATURE_INVALID',
  'AUDIT.CHECKPOINT_MISSING',
  'AUDIT.EVENTS_MISSING',
  'AUDIT.PUBLIC_KEY_REQUIRED',
] as const;
export type AuditFailureCode = (typeof AUDIT_FAILURE_CODES)[number];

/** One finding, naming the event where it was seen (null fields when no event can be named). */
export interface AuditFailure {
  readonly code: AuditFailureCode;
  readonly position: string | null;
  readonly streamName: string | null;
  readonly revision: number | null;
  readonly eventId: string | null;
  readonly message: string;
}

export interface CheckpointSummary {
  readonly sequence: number;
  readonly position: string;
  readonly upToPosition: string;
  readonly eventCount: number;
  readonly merkleRoot: string;
}

export interface AuditReport {
  readonly ok: boolean;
  /** True when the run was stopped before the end: the counts are of what was checked. */
  readonly interrupted: boolean;
  readonly eventsChecked: number;
  readonly streamsChecked: number;
  readonly checkpointsChecked: number;
  readonly lastCheckpoint: CheckpointSummary | null;
  /** The first failures in the order found (the first is the first bad event); at most `maxFailures`. */
  readonly failures: AuditFailure[];
  /** How many failures were found in all, listed or not. */
  readonly failureCount: number;
}

/** The fields of a failure that name an event. */
export function at(row: { position: string; streamName: string; revision: number; id: string }) {
  return { position: row.position, streamName: row.streamName, revision: row.revision, eventId: row.id };
}

export const NO_EVENT = { position: null, streamName: null, revision: null, eventId: null } as const;
