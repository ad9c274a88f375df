import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SessionData } from './web-session-data';
import type { WebSessionKey, WebSessionRecords, WebSessionRow } from './web-session-records.port';

/** Records kept in memory at most (a record is well under a KB); past it, those read longest ago go first. */
const MAX_KEPT = 10_000;

/**
 * Web session records in a node-local SQLite file (`web-sessions.sqlite` beside the read models);
 * the data is kept as it is.
 *
 * The records found are kept in memory, so that a page finds its session without a query and a
 * JSON parse (about a twentieth of a web ballot's server time), and exactly: SQLite's
 * `data_version` changes whenever another connection to the file commits (another store's
 * sign-out, touch or sweep, another process), and then every kept record is dropped before one is
 * used; this connection's own writes keep the records up to date as they write.
 */
export class SqliteWebSessionRecords implements WebSessionRecords {
  private readonly db: Database.Database;
  /** Prepared once: every page reads its session, so a statement compiled per request is a page's cost. */
  private readonly sql;
  private readonly kept = new Map<string, WebSessionRow>();
  /** The file's `data_version` when the kept records were last known to be its own. */
  private version: unknown;

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
      dataVersion: this.db.prepare('PRAGMA data_version').pluck(),
      sweep: this.db.prepare<[number, number]>(
        `DELETE FROM web_sessions WHERE (seen_at < ? AND (json_extract(data, '$.kiosk') IS NULL OR json_extract(data, '$.principal') IS NOT NULL))
         OR created_at < ?`,
      ),
    };
  }

  async insert(key: WebSessionKey, at: number, data: SessionData): Promise<void> {
    this.sql.insert.run(key.lookup, at, at, JSON.stringify(data));
    this.kept.delete(key.lookup);
  }

  async find(key: WebSessionKey): Promise<WebSessionRow | undefined> {
    const version = this.sql.dataVersion.get();
    if (version !== this.version) {
      // Another connection wrote: what is kept may be stale (a record revoked, touched or swept there).
      this.kept.clear();
      this.version = version;
    }
    const kept = this.kept.get(key.lookup);
    if (kept) return kept;
    const row = this.sql.find.get(key.lookup);
    if (!row) return undefined;
    const found = { createdAt: row.created_at, seenAt: row.seen_at, data: frozen(JSON.parse(row.data) as SessionData) };
    if (this.kept.size >= MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(key.lookup, found);
    return found;
  }

  async touch(lookup: string, at: number): Promise<void> {
    this.sql.touch.run(at, lookup, at);
    const kept = this.kept.get(lookup);
    if (kept && kept.seenAt < at) this.kept.set(lookup, { ...kept, seenAt: at });
  }

  async replace(key: WebSessionKey, at: number, data: SessionData): Promise<void> {
    this.sql.replace.run(at, JSON.stringify(data), key.lookup);
    this.kept.delete(key.lookup);
  }

  async remove(lookup: string): Promise<void> {
    this.sql.remove.run(lookup);
    this.kept.delete(lookup);
  }

  async sweep(idleBefore: number, createdBefore: number): Promise<number> {
    const swept = this.sql.sweep.run(idleBefore, createdBefore).changes;
    if (swept > 0) this.kept.clear();
    return swept;
  }

  async close(): Promise<void> {
    this.kept.clear();
    this.db.close();
  }
}

/** A record's data as kept: shared by every page that finds it, so changed by none. */
const frozen = (data: SessionData): SessionData => {
  if (data.principal) Object.freeze(data.principal);
  if (data.kiosk) Object.freeze(data.kiosk);
  return Object.freeze(data);
};
