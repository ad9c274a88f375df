import { createHash } from 'node:crypto';
import { Pool } from 'pg';
import { ChannelListener } from '@civic/event-store-postgres';
import { inTransaction } from '../postgres/postgres-tables';
import { recordOf } from './sqlite-session-store';
import type { SessionRecord } from './session';
import type { SessionStore } from './session-store.port';

/** The NOTIFY channel carrying the ids of a schema's revoked sessions (a channel's name is at most 63 bytes). */
export const revokedSessionsChannel = (schema: string): string => {
  const name = `civic_ended_${schema}`;
  return name.length <= 63 ? name : `civic_ended_${createHash('sha256').update(schema).digest('hex').slice(0, 32)}`;
};

/**
 * Sessions in one PostgreSQL table, for API nodes that share a PostgreSQL event store: a
 * sign-out on one node is seen by the next request on every node (each request reads its
 * session by primary key; no node caches one), and each revocation is notified on
 * `revokedSessionsChannel` as it commits, so every node closes the session's live connections at once.
 */
export class PostgresSessionStore implements SessionStore {
  private readonly pool: Pool;
  private ready?: Promise<void>;
  private readonly listeners: ChannelListener[] = [];

  constructor(private readonly options: { connectionString: string; schema: string }) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
    this.pool = new Pool({ connectionString: options.connectionString, max: 5 });
  }

  private get table(): string {
    return `${this.options.schema}.api_sessions`;
  }

  /** One node at a time creates the tables (concurrent CREATE ... IF NOT EXISTS can collide in the catalogue). */
  private async createTables(): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('civic-ledger/api_sessions'))`);
      await client.query(`
         CREATE SCHEMA IF NOT EXISTS ${this.options.schema};
         CREATE TABLE IF NOT EXISTS ${this.table} (
           id TEXT PRIMARY KEY, subject TEXT NOT NULL, role TEXT NOT NULL, method TEXT NOT NULL, provider_subject TEXT,
           created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, idle_ms BIGINT NOT NULL,
           absolute_expires_at BIGINT NOT NULL, revoked_at BIGINT);
         ALTER TABLE ${this.table} ADD COLUMN IF NOT EXISTS kiosk_id TEXT;
         CREATE INDEX IF NOT EXISTS api_sessions_by_kiosk ON ${this.table} (kiosk_id) WHERE kiosk_id IS NOT NULL;
         CREATE TABLE IF NOT EXISTS ${this.options.schema}.api_revoked_tokens (token_hash TEXT PRIMARY KEY, until BIGINT NOT NULL);
         CREATE TABLE IF NOT EXISTS ${this.options.schema}.api_sign_in_handoffs (code_hash TEXT PRIMARY KEY, token TEXT NOT NULL, until BIGINT NOT NULL);`);
    });
  }

  private async query(sql: string, values: unknown[]) {
    this.ready ??= this.createTables();
    await this.ready.catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.pool.query(sql, values);
  }

  async create(r: SessionRecord): Promise<void> {
    await this.query(
      `INSERT INTO ${this.table} (id, subject, role, method, provider_subject, kiosk_id, created_at, last_seen_at, idle_ms, absolute_expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        r.id,
        r.subject,
        r.role,
        r.method,
        r.providerSubject ?? null,
        r.kioskId ?? null,
        r.createdAt,
        r.lastSeenAt,
        r.idleMs,
        r.absoluteExpiresAt,
      ],
    );
  }

  async find(id: string): Promise<SessionRecord | undefined> {
    const { rows } = await this.query(`SELECT * FROM ${this.table} WHERE id = $1`, [id]);
    return rows[0] ? recordOf(rows[0]) : undefined;
  }

  async touch(id: string, at: number): Promise<void> {
    await this.query(`UPDATE ${this.table} SET last_seen_at = $1 WHERE id = $2 AND last_seen_at < $1`, [at, id]);
  }

  async revoke(id: string, at: number): Promise<boolean> {
    // One statement: the notification goes out when, and only if, the revocation commits.
    const { rowCount } = await this.query(
      `WITH ended AS (UPDATE ${this.table} SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING id)
       SELECT pg_notify($3, id) FROM ended`,
      [at, id, this.channel],
    );
    return rowCount === 1;
  }

  async revokeAtKiosk(kioskId: string, at: number): Promise<string[]> {
    const { rows } = await this.query(
      `WITH ended AS (UPDATE ${this.table} SET revoked_at = $1 WHERE kiosk_id = $2 AND revoked_at IS NULL RETURNING id)
       SELECT id, pg_notify($3, id) FROM ended`,
      [at, kioskId, this.channel],
    );
    return rows.map((row) => row.id as string);
  }

  async watchRevocations(listener: (id: string) => void): Promise<void> {
    const channel = new ChannelListener({ connectionString: this.options.connectionString }, this.channel, (id) => {
      if (id) listener(id);
    });
    this.listeners.push(channel);
    await channel.startOrRetry();
  }

  private get channel(): string {
    return revokedSessionsChannel(this.options.schema);
  }

  async revokeToken(tokenHash: string, until: number): Promise<void> {
    await this.query(
      `INSERT INTO ${this.options.schema}.api_revoked_tokens (token_hash, until) VALUES ($1, $2) ON CONFLICT (token_hash) DO NOTHING`,
      [tokenHash, until],
    );
  }

  async isTokenRevoked(tokenHash: string, now: number): Promise<boolean> {
    const { rowCount } = await this.query(`SELECT 1 FROM ${this.options.schema}.api_revoked_tokens WHERE token_hash = $1 AND until > $2`, [
      tokenHash,
      now,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async saveHandoff(codeHash: string, token: string, until: number): Promise<void> {
    await this.query(`INSERT INTO ${this.options.schema}.api_sign_in_handoffs (code_hash, token, until) VALUES ($1, $2, $3)`, [
      codeHash,
      token,
      until,
    ]);
  }

  async takeHandoff(codeHash: string, now: number): Promise<string | undefined> {
    const { rows } = await this.query(
      `DELETE FROM ${this.options.schema}.api_sign_in_handoffs WHERE code_hash = $1 AND until > $2 RETURNING token`,
      [codeHash, now],
    );
    return rows[0]?.token as string | undefined;
  }

  async purge(now: number): Promise<number> {
    let purged = 0;
    for (const [table, column] of [
      [this.table, 'absolute_expires_at'],
      [`${this.options.schema}.api_revoked_tokens`, 'until'],
      [`${this.options.schema}.api_sign_in_handoffs`, 'until'],
    ]) {
      purged += (await this.query(`DELETE FROM ${table} WHERE ${column} <= $1`, [now])).rowCount ?? 0;
    }
    return purged;
  }

  async close(): Promise<void> {
    await Promise.all(this.listeners.splice(0).map((channel) => channel.stop()));
    await this.pool.end();
  }
}
