import type Database from 'better-sqlite3';
import type { AuditRow } from '../audit-row';

type Row = [number, string, string, number, string, string, string];

/** The SQLite adapter's table, as the audit reads it (libs/event-store-sqlite/src/schema.ts). */
export const SELECT_RANGE = 'SELECT position, event_id, stream_name, revision, type, data, metadata FROM events WHERE position BETWEEN ? AND ? ORDER BY position';

/** Rows with positions in [from, to], in order, with their JSON parsed. */
export function readRange(statement: Database.Statement, from: number, to: number): AuditRow[] {
  const rows = statement.all(from, to) as Row[];
  const out = new Array<AuditRow>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const [position, id, streamName, revision, type, data, metadata] = rows[i];
    out[i] = { position: String(position), id, streamName, revision, type, data: parse(data), metadata: parse(metadata) };
  }
  return out;
}

/** Stored JSON that does not parse is kept as a string, so its hash fails and the event is named. */
function parse(text: string): never {
  try {
    return JSON.parse(text) as never;
  } catch {
    return text as never;
  }
}
