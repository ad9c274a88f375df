import Database from 'better-sqlite3';

/** A stored row of the SQLite adapter's table, as a tamperer sees it. */
export interface StoredRow {
  readonly position: number;
  readonly event_id: string;
  readonly stream_name: string;
  readonly revision: number;
  readonly data: string;
}

/** Opens the file behind the store's back, as an attacker with file access would. */
export function tamper<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export function findRow(db: Database.Database, where: string): StoredRow {
  return db
    .prepare(`SELECT position, event_id, stream_name, revision, data FROM events WHERE ${where} ORDER BY position LIMIT 1`)
    .get() as StoredRow;
}

/** Rewrites the data of the first row matching `where`; returns the row as it was. */
export function alterData(path: string, where: string, edit: (data: string) => string): StoredRow {
  return tamper(path, (db) => {
    const victim = findRow(db, where);
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(edit(victim.data), victim.position);
    return victim;
  });
}

/** Two rows trade places in the global order (each keeps its stream, revision and content). */
export function swapPositions(db: Database.Database, a: number, b: number): void {
  const move = db.prepare('UPDATE events SET position = ? WHERE position = ?');
  db.transaction(() => {
    move.run(-1, a);
    move.run(a, b);
    move.run(b, -1);
  })();
}
