import type { EventFilter, RecordedEvent } from '@civic/event-store';
import type { PgPosition } from '../position';
import type { Queryable } from '../queryable';
import { EVENT_COLUMNS, toRecorded, type EventRow } from './event-row';

/** The merged walks' columns: EVENT_COLUMNS by their output names, in their order. */
const OUTER_COLUMNS = 'xid_text, position, event_id_text, stream_name, revision, type, data, metadata, recorded_at_iso';

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
  const query = readAllQuery(s, after, maxCount, filter);
  if (!query) return [];
  const { rows } = await db.query<EventRow>({ rowMode: 'array', ...query });
  return rows.map(toRecorded);
}

/** The statement {@link readAllPage} runs (its name, text and values); undefined when the filter matches nothing. */
export function readAllQuery(
  s: string,
  after: PgPosition,
  maxCount: number,
  filter: EventFilter | undefined,
): { name: string; text: string; values: unknown[] } | undefined {
  const types = filter?.eventTypes;
  const categories = filter?.streamCategories && [...new Set(filter.streamCategories)];
  if ((types && types.length === 0) || (categories && categories.length === 0)) return undefined;
  const values: unknown[] = [after.xid, after.seq, maxCount];
  const visible = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';
  const typed = types ? ` AND type = ANY($${values.push([...types])}::text[])` : '';
  // One walk of events_by_category in order per category (the row comparison names the index's
  // leading column, so even a generic plan uses it), each at most a page: a category's rows after
  // the cursor, never all of them. With several categories the walks are merged in the global
  // order. (One scan filtered by `stream_category = ANY(…)` read every row of those categories on
  // every page and sorted them: a 215,000-ballot pot's board read a quarter of a million rows a page.)
  const walk = (category: string, extra = '') => {
    const c = values.push(category);
    return (
      `SELECT ${EVENT_COLUMNS}${extra} FROM ${s}.events WHERE ${visible}` +
      ` AND (stream_category, transaction_id, position) > ($${c}::text, $1::xid8, $2::bigint) AND stream_category = $${c}::text${typed}` +
      ` ORDER BY stream_category, transaction_id, position LIMIT $3`
    );
  };
  const text = !categories
    ? `SELECT ${EVENT_COLUMNS} FROM ${s}.events WHERE ${visible} AND (transaction_id, position) > ($1::xid8, $2::bigint)${typed} ORDER BY transaction_id, position LIMIT $3`
    : categories.length === 1
      ? walk(categories[0])
      : `SELECT ${OUTER_COLUMNS} FROM (${categories.map((c) => `(${walk(c, ', transaction_id AS order_xid')})`).join(' UNION ALL ')}) AS walks` +
        ` ORDER BY order_xid, position LIMIT $3`;
  return { name: `${s}.read-all:${categories ? `c${categories.length}` : ''}${types ? 't' : ''}`, text, values };
}
