import type { RecordedEvent } from '@civic/event-store';
import { encodePosition } from '../position';

/**
 * The columns every read selects, in the order `toRecorded` expects. Rows come as arrays and the
 * time as ISO 8601 text formatted by the server: replays read millions of rows, and building a
 * keyed object and a Date per row costs more than the rest of the mapping.
 *
 * Cast columns get names of their own: `ORDER BY transaction_id` must sort the xid8 column,
 * not a text output column of the same name (which would put xid 1000 before 999).
 */
export const EVENT_COLUMNS = `transaction_id::text AS xid_text, position, event_id::text AS event_id_text, stream_name, revision,
  type, data, metadata, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at_iso`;

/** xid, position, event id, stream, revision, type, data, metadata, recorded at. */
export type EventRow = [string, string, string, string, string, string, string, string, string];

export function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row[2],
    type: row[5],
    data: JSON.parse(row[6]),
    metadata: JSON.parse(row[7]),
    streamName: row[3],
    revision: Number(row[4]),
    position: encodePosition(row[0], row[1]),
    recordedAt: row[8],
  };
}
