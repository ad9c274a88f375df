import type Database from 'better-sqlite3';

/**
 * A row of the events table in raw (array) mode, which reads about 40% faster than objects:
 * [position, event_id, stream_name, revision, type, data, metadata, recorded_at].
 */
export type EventRow = [number, string, string, number, string, string, string, string];

const COLUMNS = 'position, event_id, stream_name, revision, type, data, metadata, recorded_at';

/** Every statement the store runs, prepared once. */
export function prepareStatements(db: Database.Database) {
  const filtered = new Map<string, Database.Statement>();
  return {
    insert: db.prepare(
      `INSERT INTO events (event_id, stream_name, stream_category, revision, type, data, metadata, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    streamRevision: db.prepare('SELECT max(revision) AS revision FROM events WHERE stream_name = ?'),
    findEvent: db.prepare('SELECT stream_name, revision, position FROM events WHERE event_id = ?'),
    readStreamForwards: db.prepare(`SELECT ${COLUMNS} FROM events WHERE stream_name = ? AND revision >= ? ORDER BY revision LIMIT ?`).raw(),
    readStreamBackwards: db
      .prepare(`SELECT ${COLUMNS} FROM events WHERE stream_name = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`)
      .raw(),
    head: db.prepare('SELECT max(position) AS position FROM events'),
    iterateAll: db.prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position`).raw(),
    /** `readAll` with `types` event types and `categories` stream categories to match (0: no filter). */
    readAllFiltered(types: number, categories: number): Database.Statement {
      const key = `${types}:${categories}`;
      let stmt = filtered.get(key);
      if (!stmt) {
        const where = ['position > ?'];
        if (types > 0) where.push(`type IN (${placeholders(types)})`);
        if (categories > 0) where.push(`stream_category IN (${placeholders(categories)})`);
        stmt = db.prepare(`SELECT ${COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT ?`).raw();
        filtered.set(key, stmt);
      }
      return stmt;
    },
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}
