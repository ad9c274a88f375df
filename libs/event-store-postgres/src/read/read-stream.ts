import type { RecordedEvent } from '@civic/event-store';
import type { Queryable } from '../queryable';
import { EVENT_COLUMNS, toRecorded, type EventRow } from './event-row';

/**
 * One stream, by revision. Revisions are dense: a writer only writes revision n + 1 after
 * seeing n committed, so a stream read never shows a gap.
 */
export async function readStreamRows(
  db: Queryable,
  s: string,
  streamName: string,
  backwards: boolean,
  from: number | 'end',
  maxCount: number,
): Promise<RecordedEvent[]> {
  if (!backwards && from === 'end') return [];
  const start = from === 'end' ? Number.MAX_SAFE_INTEGER : from;
  const { rows } = await db.query<EventRow>({
    rowMode: 'array',
    name: `${s}.read-stream:${backwards ? 'b' : 'f'}`,
    text: backwards
      ? `SELECT ${EVENT_COLUMNS} FROM ${s}.events WHERE stream_name = $1 AND revision <= $2 ORDER BY revision DESC LIMIT $3`
      : `SELECT ${EVENT_COLUMNS} FROM ${s}.events WHERE stream_name = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
    values: [streamName, start, maxCount],
  });
  return rows.map(toRecorded);
}
