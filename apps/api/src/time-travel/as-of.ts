import type { Position, Start } from '@civic/event-store';
import { statement, type ReadModelDatabase } from '@civic/projections';
import { hasIsoTimeShape, instantOfIsoTime } from '@civic/domain';
import { ApiError } from '../errors/api-error';

/** A point of the history: how many events from the start, and the position of the last of them. */
export interface Moment {
  readonly events: number;
  readonly position: Position | Start;
}

/**
 * Resolves an `asOf` against the live read models' timeline, before anything is replayed: a
 * global position of this history (everything up to and including that event), `start`, or an
 * ISO time (the longest run of events from the start all recorded by then; a time before the
 * first event is the empty start). Anything else, or a position not in the history (yet), is
 * `INPUT.INVALID`.
 */
export function resolveAsOf(asOf: string, live: ReadModelDatabase): Moment {
  const text = asOf.trim();
  if (text === 'start') return { events: 0, position: 'start' };
  if (hasIsoTimeShape(text)) {
    const at = instantOfIsoTime(text);
    if (at === undefined) throw new ApiError('INPUT.INVALID', 'asOf is not a valid time.');
    const row = statement(
      live.db,
      `SELECT seq, position FROM timeline WHERE reached_at <= ? ORDER BY reached_at DESC, seq DESC LIMIT 1`,
    ).get(at) as { seq: number; position: string } | undefined;
    return row ? { events: row.seq, position: row.position } : { events: 0, position: 'start' };
  }
  const row =
    text.length <= 200
      ? (statement(live.db, `SELECT seq FROM timeline WHERE position = ?`).get(text) as { seq: number } | undefined)
      : undefined;
  if (!row) throw new ApiError('INPUT.INVALID', 'asOf is neither a position of this history nor an ISO time.');
  return { events: row.seq, position: text };
}

/** The position of the `events`-th event, from the live timeline. */
export function positionAt(live: ReadModelDatabase, events: number): Position | undefined {
  const row = statement(live.db, `SELECT position FROM timeline WHERE seq = ?`).get(events) as { position: string } | undefined;
  return row?.position;
}
