import type { JsonObject, JsonValue } from '@civic/event-store';

/** An event as the verifier reads it: a `RecordedEvent` fits. */
export interface AuditRow {
  readonly position: string;
  readonly id: string;
  readonly streamName: string;
  readonly revision: number;
  readonly type: string;
  readonly data: JsonValue;
  readonly metadata: JsonObject;
  /**
   * The stored JSON texts, when the reader has them and they parsed (so each is one valid
   * JSON value): the verifier then hashes them as they are and needs to re-serialise only
   * when that does not give the recorded hash.
   */
  readonly dataJson?: string;
  readonly metadataJson?: string;
}
