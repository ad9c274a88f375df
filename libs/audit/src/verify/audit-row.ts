import type { JsonObject, JsonValue } from '@civic/event-store';
import { fastEventHash } from '../hash/fast-event-hash';
import { splitChain, type ChainLink } from '../hash/event-hash';

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

/** What the hash of one event says, independent of every other event (so it can be computed in parallel). */
export interface InspectedRow {
  /** The stored link, undefined when the event carries none or a malformed one. */
  readonly link: ChainLink | undefined;
  /** The hash recomputed from the stored content and the stored `previous`. */
  readonly computed: string;
}

export function inspectRow(row: AuditRow): InspectedRow {
  const { metadata, link } = splitChain(row.metadata);
  const computed = fastEventHash({
    streamName: row.streamName,
    revision: row.revision,
    id: row.id,
    type: row.type,
    data: row.data,
    metadata,
    previous: link?.previous ?? null,
  });
  return { link, computed };
}
