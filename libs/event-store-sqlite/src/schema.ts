import type Database from 'better-sqlite3';

/**
 * Versioned migrations, applied in order at open and recorded in SQLite's `user_version`.
 * Never edit a released migration: add the next one.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     position        INTEGER PRIMARY KEY AUTOINCREMENT, -- the global order; AUTOINCREMENT never reuses a position
     event_id        TEXT    NOT NULL UNIQUE,           -- lower-case UUID; the key of idempotent appends
     stream_name     TEXT    NOT NULL,
     stream_category TEXT    NOT NULL,
     revision        INTEGER NOT NULL,
     type            TEXT    NOT NULL,
     data            TEXT    NOT NULL,                  -- JSON
     metadata        TEXT    NOT NULL,                  -- JSON object
     recorded_at     TEXT    NOT NULL,                  -- ISO 8601, UTC
     UNIQUE (stream_name, revision)
   );
   CREATE INDEX events_by_category ON events (stream_category, position);`,
];

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`The event store file has schema version ${current}, newer than this program knows (${MIGRATIONS.length})`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
