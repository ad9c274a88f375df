import type { Position, Start } from '@civic/event-store';
import { encodePosition } from '../position';
import type { Queryable } from '../queryable';

/** The last position a reader can see now (same visibility rule as read-all.ts). */
export async function readHeadPosition(db: Queryable, s: string): Promise<Position | Start> {
  const { rows } = await db.query<{ xid: string; position: string }>({
    name: `${s}.head-position`,
    text: `SELECT transaction_id::text AS xid, position FROM ${s}.events
            WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY transaction_id DESC, position DESC LIMIT 1`,
  });
  return rows.length === 0 ? 'start' : encodePosition(rows[0].xid, rows[0].position);
}
