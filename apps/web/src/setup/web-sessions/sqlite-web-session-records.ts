import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SessionData } from './web-session-data';
import type { WebSessionKey, WebSessionRecords, WebSessionRow } from './web-session-records.port';

/** Web session records in a node-local SQLite file (`web-sessions.sqlite` beside the read models); the data is kept as it is. */
export class SqliteWebSessionRecords implements WebSessionRecords {
  private readonly db: Database.Database;
  /** Prepared once: every page reads its session, so a statement compiled per request is a page's cost. */
  private readonly sql;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // A session lost with the machine's power is only a sign-in again: no sync per request.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS web_sessions (
      id_hash TEXT PRIMARY KEY, created_at INTEGER NOT NULL, seen_at INTEGER NOT NULL, data TEXT NOT NULL)`);
    this.sql = {
      insert: this.db.prepare<[string, number, number, string]>(
        'INSERT INTO web_sessions (id_hash, created_at, seen_at, data) VALUES (?, ?, ?, ?)',
      ),
      find: this.db.prepare<[string], { created_at: number; seen_at: number; data: string }>(
        'SELECT created_at, seen_at, data FROM web_sessions WHERE id_hash = ?',
      ),
      touch: this.db.prepare<[number, string, number]>('UPDATE web_sessions SET seen_at = ? WHERE id_hash = ? AND seen_at < ?'),
      replace: this.db.prepare<[number, string, string]>('UPDATE web_sessions SET seen_at = ?, data = ? WHERE id_hash = ?'),
      remove: this.db.prepare<[string]>('DELETE FROM web_sessions WHERE id_hash = ?'),
      sweep: this.db.prepare<[number, number]>(
        `DELETE FROM web_sessions WHERE (seen_at < ? AND (json_extract(data, '$.kiosk') IS NULL OR json_extract(data, '$.principal') IS NOT NULL))
         OR created_at < ?`,
      ),
    };
  }

  async insert(key: WebSessionKey, at: number, data: SessionData): Promise<void> {
    this.sql.insert.run(key.lookup, at, at, JSON.stringify(data));
  }

  async find(key: WebSessionKey): Promise<WebSessionRow | undefined> {
    const row = this.sql.find.get(key.lookup);
    return row && { createdAt: row.created_at, seenAt: row.seen_at, data: JSON.parse(row.data) as SessionData };
  }

  async touch(lookup: string, at: number): Promise<void> {
    this.sql.touch.run(at, lookup, at);
  }

  async replace(key: WebSessionKey, at: number, data: SessionData): Promise<void> {
    this.sql.replace.run(at, JSON.stringify(data), key.lookup);
  }

  async remove(lookup: string): Promise<void> {
    this.sql.remove.run(lookup);
  }

  async sweep(idleBefore: number, createdBefore: number): Promise<number> {
    return this.sql.sweep.run(idleBefore, createdBefore).changes;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
