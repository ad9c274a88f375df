import type { RecordedEvent } from '@civic/event-store';
import { encodePosition } from '../position';

/** The columns every read selects, in the shape `toRecorded` expects. */
export const EVENT_COLUMNS =
  'transaction_id::text AS xid, position, event_id::text, stream_name, revision, type, data, metadata, recorded_at';

export interface EventRow {
  xid: string;
  position: string;
  event_id: string;
  stream_name: string;
  revision: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: Date;
}

export function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    streamName: row.stream_name,
    revision: Number(row.revision),
    position: encodePosition(row.xid, row.position),
    recordedAt: row.recorded_at.toISOString(),
  };
}
