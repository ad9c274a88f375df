import type { EventFilter, RecordedEvent } from '@civic/event-store';
import type { PgPosition } from '../position';
import type { Queryable } from '../queryable';
import { EVENT_COLUMNS, toRecorded, type EventRow } from './event-row';

/**
 * One page of the global order strictly after `after`.
 *
 * Why readers never skip an event: a reader only returns rows whose transaction id is below
 * the xmin of its own snapshot. Every transaction with an id below xmin has finished, and any
 * transaction that has not finished (or not started) has, or will get, an id at or above xmin.
 * So the rows below xmin are final: nothing can commit among them later. Ordered by
 * (transaction_id, position), each page is a prefix of the final order, and the next page,
 * read strictly after the last key returned, can only find rows that sort after it.
 *
 * The cost: while any transaction of the cluster that holds an xid is open, readers stop at it
 * (they lag; they do not skip). Keep transactions short.
 */
export async function readAllPage(
  db: Queryable,
  s: string,
  after: PgPosition,
  maxCount: number,
  filter: EventFilter | undefined,
): Promise<RecordedEvent[]> {
  const types = filter?.eventTypes;
  const categories = filter?.streamCategories;
  if ((types && types.length === 0) || (categories && categories.length === 0)) return [];
  const values: unknown[] = [after.xid, after.seq, maxCount];
  const where = ['transaction_id < pg_snapshot_xmin(pg_current_snapshot())'];
  let order = 'transaction_id, position';
  if (categories?.length === 1) {
    // One category, a projection's usual subscription: walk events_by_category in order (the row
    // comparison names the index's leading column, so even a generic plan uses it).
    const c = values.push(categories[0]);
    where.push(`(stream_category, transaction_id, position) > ($${c}::text, $1::xid8, $2::bigint)`, `stream_category = $${c}::text`);
    order = `stream_category, ${order}`;
  } else {
    where.push('(transaction_id, position) > ($1::xid8, $2::bigint)');
    if (categories) where.push(`stream_category = ANY($${values.push([...categories])}::text[])`);
  }
  if (types) where.push(`type = ANY($${values.push([...types])}::text[])`);
  const { rows } = await db.query<EventRow>({
    rowMode: 'array',
    name: `${s}.read-all:${categories?.length === 1 ? 'c1' : categories ? 'c' : ''}${types ? 't' : ''}`,
    text: `SELECT ${EVENT_COLUMNS} FROM ${s}.events WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $3`,
    values,
  });
  return rows.map(toRecorded);
}
