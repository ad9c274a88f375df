import { statement, type Projection } from '@civic/projections';

/**
 * Every position of the history in order: what lets time travel check an `asOf` (a position of
 * this history, or a time) and know how far into the history it is before replaying anything.
 * `seq` counts events from 1; `reached_at` is the latest time recorded up to and including the
 * event, so it never decreases even if clocks did, and "the history as of a time" is the
 * longest run of events from the start all recorded by then — found by one index seek.
 */
export const timelineProjection: Projection = {
  name: 'timeline',
  version: 1,
  schema: `
    CREATE TABLE timeline (seq INTEGER PRIMARY KEY, position TEXT NOT NULL UNIQUE, reached_at TEXT NOT NULL);
    CREATE INDEX timeline_by_time ON timeline (reached_at);`,
  // One statement per event: the later of the last row's time and this event's, compared as
  // SQLite compares text (byte order: the ISO times are ASCII).
  apply(db, recorded) {
    statement(
      db,
      `INSERT INTO timeline (position, reached_at)
       VALUES (?, max(?, coalesce((SELECT reached_at FROM timeline ORDER BY seq DESC LIMIT 1), '')))`,
    ).run(recorded.position, recorded.recordedAt);
  },
  // This runs for every event written: a batch reads the last row's time once and carries the
  // latest along itself (`<` on ASCII strings is SQLite's byte order), one plain insert an event.
  applyBatch(db, events) {
    const last = statement(db, `SELECT reached_at FROM timeline ORDER BY seq DESC LIMIT 1`).get() as { reached_at: string } | undefined;
    let reached = last?.reached_at ?? '';
    const insert = statement(db, `INSERT INTO timeline (position, reached_at) VALUES (?, ?)`);
    for (const { position, recordedAt } of events) {
      if (reached < recordedAt) reached = recordedAt;
      insert.run(position, reached);
    }
  },
};
