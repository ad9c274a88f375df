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
}
