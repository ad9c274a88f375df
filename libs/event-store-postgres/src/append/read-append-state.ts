import type { PreparedAppend, RecordedPlace } from '@civic/event-store';
import type { Queryable } from '../queryable';
import { encodePosition } from '../position';
import type { AppendState } from './plan-batch';

/**
 * One round trip for a whole batch: the last revision of every stream it writes, and where
 * any of its event ids were recorded before. Read outside the write (no locks held): the
 * unique indexes catch whatever another node commits in between.
 */
export async function readAppendState(db: Queryable, s: string, batch: readonly PreparedAppend[]): Promise<AppendState> {
  const streams = [...new Set(batch.map((r) => r.streamName))];
  const ids = [...new Set(batch.flatMap((r) => r.events.map((e) => e.id)))];
  const { rows } = await db.query<{
    stream_name: string;
    revision: string | null;
    event_id: string | null;
    xid: string | null;
    position: string | null;
  }>({
    name: `${s}.read-append-state`,
    text: `
      SELECT n.name AS stream_name,
             (SELECT e.revision FROM ${s}.events e WHERE e.stream_name = n.name ORDER BY e.revision DESC LIMIT 1) AS revision,
             NULL::text AS event_id, NULL::text AS xid, NULL::bigint AS position
        FROM unnest($1::text[]) AS n(name)
      UNION ALL
      SELECT stream_name, revision, event_id::text, transaction_id::text, position
        FROM ${s}.events WHERE event_id = ANY($2::uuid[])`,
    values: [streams, ids],
  });
  const revisions = new Map<string, number>();
  const recorded = new Map<string, RecordedPlace>();
  for (const row of rows) {
    if (row.event_id === null) {
      if (row.revision !== null) revisions.set(row.stream_name, Number(row.revision));
    } else {
      recorded.set(row.event_id, {
        streamName: row.stream_name,
        revision: Number(row.revision),
        position: encodePosition(row.xid!, row.position!),
      });
    }
  }
  return { revisions, recorded };
}
