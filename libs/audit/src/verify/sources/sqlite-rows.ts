import type Database from 'better-sqlite3';
import type { JsonObject, JsonValue } from '@civic/event-store';
import type { AuditRow } from '../audit-row';

const UNPARSED = {} as never;

type Row = [number, string, string, number, string, string, string];

/** The SQLite adapter's table, as the audit reads it (libs/event-store-sqlite/src/schema.ts). */
export const SELECT_RANGE = 'SELECT position, event_id, stream_name, revision, type, data, metadata FROM events WHERE position BETWEEN ? AND ? ORDER BY position';

/** Rows with positions in [from, to], in order, with their JSON parsed. */
export function readRange(statement: Database.Statement, from: number, to: number): AuditRow[] {
  const rows = statement.all(from, to) as Row[];
  const out = new Array<AuditRow>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const [position, id, streamName, revision, type, data, metadata] = rows[i];
    // Every field set up front, so that every row has one hidden class.
    const row: { -readonly [K in keyof AuditRow]: AuditRow[K] } = { position: String(position), id, streamName, revision, type, data: UNPARSED, metadata: UNPARSED, dataJson: undefined, metadataJson: undefined };
    try {
      row.data = JSON.parse(data) as JsonValue;
      row.dataJson = data;
    } catch {
      row.data = data; // kept as a string, so its hash fails and the event is named
    }
    try {
      row.metadata = JSON.parse(metadata) as JsonObject;
      row.metadataJson = metadata;
    } catch {
      row.metadata = metadata as never;
    }
    out[i] = row;
  }
  return out;
}

