import type { JsonObject, JsonValue, RecordedEvent } from '@civic/event-store';
import { redactEvent, type PrivacyTally, type Viewer } from '@civic/policy';
import type { FundPhases } from './fund-phases';

export { emptyTally, toHour, WITHHELD_SEALED, type PrivacyTally } from '@civic/policy';

/** One line of `export --format jsonl`. */
export interface ExportedEvent {
  readonly position: string;
  readonly streamName: string;
  readonly revision: number;
  readonly type: string;
  readonly data: JsonValue;
  readonly metadata: JsonObject;
  readonly recordedAt: string;
  /** Present when part of the event was withheld or coarsened: what, in words. */
  readonly redacted?: string[];
}

export interface PublicEventOptions {
  /** `auditor` with `--auditor`, else `anonymous`: the public export. */
  readonly viewer: Viewer;
  /** The phases whose embargo applies to each fund's data. */
  readonly phases: FundPhases;
}

/** An event as an export shows it: the embargo's `redactEvent`, as the API's `auditLog` shows it too. */
export function publicEvent(event: RecordedEvent, options: PublicEventOptions, tally: PrivacyTally): ExportedEvent {
  const { data, metadata, recordedAt, redacted } = redactEvent(event, options.viewer, options.phases, tally);
  const line = {
    position: event.position,
    streamName: event.streamName,
    revision: event.revision,
    type: event.type,
    data: data as JsonValue,
    metadata: metadata as JsonObject,
    recordedAt,
  };
  return redacted.length > 0 ? { ...line, redacted } : line;
}
