import type { Queryable } from '../queryable';
import { encodePosition } from '../position';
import type { PlannedRow } from './plan-batch';

/**
 * Inserts a batch's rows and notifies listeners in one statement, so in one implicit
 * transaction: one round trip and one commit. NOTIFY is delivered at commit, never for rows that
 * were rolled back. An acknowledged append must survive a crash, so a `synchronous_commit` of
 * `off` is raised to `on` for this transaction (stronger settings, e.g. remote_apply, are kept).
 * Returns each event id's position.
 */
export async function insertEvents(
  db: Queryable,
  s: string,
  channel: string,
  rows: readonly PlannedRow[],
  recordedAt: string,
): Promise<Map<string, string>> {
  const { rows: out } = await db.query<{ event_id: string; position: string; xid: string }>({
    name: `${s}.insert-events`,
    text: `
      WITH ins AS (
        INSERT INTO ${s}.events (event_id, stream_name, stream_category, revision, type, data, metadata, recorded_at)
        SELECT r.event_id, r.stream_name, r.stream_category, r.revision, r.type, r.data, r.metadata, $8::timestamptz
          FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[])
               WITH ORDINALITY AS r(event_id, stream_name, stream_category, revision, type, data, metadata, ord)
         ORDER BY r.ord
        RETURNING event_id, position, transaction_id
      ), woken AS MATERIALIZED (SELECT pg_notify($9, '') AS n),
      durable AS MATERIALIZED (
        SELECT CASE WHEN current_setting('synchronous_commit') = 'off' THEN set_config('synchronous_commit', 'on', true) END AS d
      )
      SELECT ins.event_id::text, ins.position, ins.transaction_id::text AS xid FROM ins, woken, durable`,
    values: [
      rows.map((r) => r.eventId),
      rows.map((r) => r.streamName),
      rows.map((r) => r.category),
      rows.map((r) => r.revision),
      rows.map((r) => r.type),
      rows.map((r) => r.dataJson),
      rows.map((r) => r.metadataJson),
      recordedAt,
      channel,
    ],
  });
  return new Map(out.map((r) => [r.event_id, encodePosition(r.xid, r.position)]));
}
