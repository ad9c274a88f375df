import type Database from 'better-sqlite3';
import { openDatabase } from '../crypto/open-database';
import type { SessionRecord, SignInMethod } from './session';
import type { SessionStore } from './session-store.port';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, subject TEXT NOT NULL, role TEXT NOT NULL, method TEXT NOT NULL, provider_subject TEXT,
    created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL, idle_ms INTEGER NOT NULL,
    absolute_expires_at INTEGER NOT NULL, revoked_at INTEGER
  );
  CREATE TABLE IF NOT EXISTS revoked_tokens (token_hash TEXT PRIMARY KEY, until INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS handoffs (code_hash TEXT PRIMARY KEY, token TEXT NOT NULL, until INTEGER NOT NULL);
`;
/** Added to files made before kiosk sessions kept their kiosk. */
const KIOSK_COLUMN = `
  ALTER TABLE sessions ADD COLUMN kiosk_id TEXT;
  CREATE INDEX IF NOT EXISTS sessions_by_kiosk ON sessions (kiosk_id) WHERE kiosk_id IS NOT NULL;
`;

type Row = {
  id: string;
  subject: string;
  role: string;
  method: string;
  provider_subject: string | null;
  kiosk_id: string | null;
  created_at: number;
  last_seen_at: number;
  idle_ms: number;
  absolute_expires_at: number;
  revoked_at: number | null;
};

/** Maps a stored row to a record (shared by the SQLite and PostgreSQL stores). */
export function recordOf(row: Row): SessionRecord {
  return {
    id: row.id,
    subject: row.subject,
    role: row.role,
    method: row.method as SignInMethod,
    ...(row.provider_subject !== null ? { providerSubject: row.provider_subject } : {}),
    ...(row.kiosk_id !== null ? { kioskId: row.kiosk_id } : {}),
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
    idleMs: Number(row.idle_ms),
    absoluteExpiresAt: Number(row.absolute_expires_at),
    ...(row.revoked_at !== null ? { revokedAt: Number(row.revoked_at) } : {}),
  };
}

/**
 * Sessions in the node's own SQLite file (`SESSIONS_PATH`), apart from the events and the read
 * models (which are rebuilt from the events, and would lose them). better-sqlite3 is synchronous:
 * a lookup by primary key costs microseconds, so every request reads its session afresh and a
 * revocation is seen by the very next request.
 */
export class SqliteSessionStore implements SessionStore {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(options: { path: string }) {
    this.db = openDatabase(options.path, SCHEMA);
    const columns = this.db.pragma('table_info(sessions)') as { name: string }[];
    if (!columns.some((c) => c.name === 'kiosk_id')) this.db.transaction(() => this.db.exec(KIOSK_COLUMN)).immediate();
    this.statements = {
      insert: this.db.prepare(
        `INSERT INTO sessions (id, subject, role, method, provider_subject, kiosk_id, created_at, last_seen_at, idle_ms, absolute_expires_at)
         VALUES (@id, @subject, @role, @method, @providerSubject, @kioskId, @createdAt, @lastSeenAt, @idleMs, @absoluteExpiresAt)`,
      ),
      revokeAtKiosk: this.db.prepare<[number, string], { id: string }>(
        'UPDATE sessions SET revoked_at = ? WHERE kiosk_id = ? AND revoked_at IS NULL RETURNING id',
      ),
      find: this.db.prepare<[string], Row>('SELECT * FROM sessions WHERE id = ?'),
      touch: this.db.prepare<[number, string, number]>('UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?'),
      revoke: this.db.prepare<[number, string]>('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      revokeToken: this.db.prepare<[string, number]>(
        'INSERT INTO revoked_tokens (token_hash, until) VALUES (?, ?) ON CONFLICT (token_hash) DO NOTHING',
      ),
      isTokenRevoked: this.db.prepare<[string, number], { one: number }>(
        'SELECT 1 AS one FROM revoked_tokens WHERE token_hash = ? AND until > ?',
      ),
      saveHandoff: this.db.prepare<[string, string, number]>('INSERT INTO handoffs (code_hash, token, until) VALUES (?, ?, ?)'),
      takeHandoff: this.db.prepare<[string, number], { token: string }>(
        'DELETE FROM handoffs WHERE code_hash = ? AND until > ? RETURNING token',
      ),
      purgeHandoffs: this.db.prepare<[number]>('DELETE FROM handoffs WHERE until <= ?'),
      purgeSessions: this.db.prepare<[number]>('DELETE FROM sessions WHERE absolute_expires_at <= ?'),
      purgeTokens: this.db.prepare<[number]>('DELETE FROM revoked_tokens WHERE until <= ?'),
    };
  }

  async create(record: SessionRecord): Promise<void> {
    this.statements.insert.run({ ...record, providerSubject: record.providerSubject ?? null, kioskId: record.kioskId ?? null });
  }

  async find(id: string): Promise<SessionRecord | undefined> {
    const row = this.statements.find.get(id);
    return row ? recordOf(row) : undefined;
  }

  async touch(id: string, at: number): Promise<void> {
    this.statements.touch.run(at, id, at);
  }

  async revoke(id: string, at: number): Promise<boolean> {
    return this.statements.revoke.run(at, id).changes === 1;
  }

  async revokeAtKiosk(kioskId: string, at: number): Promise<string[]> {
    return this.statements.revokeAtKiosk.all(at, kioskId).map((row) => row.id);
  }

  async revokeToken(tokenHash: string, until: number): Promise<void> {
    this.statements.revokeToken.run(tokenHash, until);
  }

  async isTokenRevoked(tokenHash: string, now: number): Promise<boolean> {
    return this.statements.isTokenRevoked.get(tokenHash, now) !== undefined;
  }

  async saveHandoff(codeHash: string, token: string, until: number): Promise<void> {
    this.statements.saveHandoff.run(codeHash, token, until);
  }

  async takeHandoff(codeHash: string, now: number): Promise<string | undefined> {
    return this.statements.takeHandoff.get(codeHash, now)?.token;
  }

  async purge(now: number): Promise<number> {
    const { purgeSessions, purgeTokens, purgeHandoffs } = this.statements;
    return purgeSessions.run(now).changes + purgeTokens.run(now).changes + purgeHandoffs.run(now).changes;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
