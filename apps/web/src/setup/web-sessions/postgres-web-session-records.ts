import { Pool } from 'pg';
import { inTransaction, SecretBox } from '@civic/auth';
import type { SessionData } from './web-session-data';
import type { WebSessionKey, WebSessionRecords, WebSessionRow } from './web-session-records.port';

/**
 * Versioned migrations of the web session records, applied in order at first use and recorded in
 * `<schema>.web_session_migrations`. Never edit a released migration: add the next one.
 *
 * `data` is sealed under the session's own key (AES-256-GCM): the database, its backups and
 * whoever reads them hold no API token. `waiting_kiosk` tells the sweep, which cannot open it,
 * that a record is a device in kiosk mode with nobody signed in.
 */
const MIGRATIONS: readonly ((s: string) => string)[] = [
  (s) => `
    CREATE TABLE ${s}.web_sessions (
      id_hash    text   PRIMARY KEY,
      created_at bigint NOT NULL,
      seen_at    bigint NOT NULL,
      data       text   NOT NULL,
      waiting_kiosk boolean NOT NULL
    );
    CREATE INDEX web_sessions_by_created_at ON ${s}.web_sessions (created_at);`,
];

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Web session records in one PostgreSQL table (in `DATABASE_SCHEMA`, beside the API's
 * `api_sessions`) shared by every node: each request reads its record by primary key and no node
 * caches one, so a sign-in through one node holds on all, and a sign-out on all from the next request.
 */
export class PostgresWebSessionRecords implements WebSessionRecords {
  private readonly pool: Pool;
  private ready?: Promise<void>;
  private readonly table: string;

  constructor(private readonly options: { connectionString: string; schema: string }) {
    if (!IDENTIFIER.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
    this.table = `${options.schema}.web_sessions`;
    this.pool = new Pool({ connectionString: options.connectionString, max: 5 });
    this.pool.on('error', () => undefined); // an idle connection dropped; the pool replaces it on next use
  }

  /** Applies the missing migrations in one transaction, one node at a time (the schema's lock, as the sign-in tables take). */
  private async migrate(): Promise<void> {
    const s = this.options.schema;
    await inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`civic-ledger/schema/${s}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${s}.web_session_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${s}.web_session_migrations`);
      const current = rows[0].v ?? 0;
      if (current > MIGRATIONS.length) {
        throw new Error(
          `The web sessions of schema "${s}" are at version ${current}, newer than this program knows (${MIGRATIONS.length})`,
        );
      }
      for (let v = current; v < MIGRATIONS.length; v++) {
        await client.query(MIGRATIONS[v](s));
        await client.query(`INSERT INTO ${s}.web_session_migrations (version) VALUES ($1)`, [v + 1]);
      }
    });
  }

  /** Resolves once the table is there (the web app waits for it before it serves a page). */
  async whenReady(): Promise<void> {
    this.ready ??= this.migrate();
    await this.ready.catch((err) => {
      this.ready = undefined;
      throw err;
    });
  }

  private async query(sql: string, values: unknown[]) {
    await this.whenReady();
    return this.pool.query(sql, values);
  }

  async insert(key: WebSessionKey, at: number, data: SessionData): Promise<void> {
    await this.query(`INSERT INTO ${this.table} (id_hash, created_at, seen_at, data, waiting_kiosk) VALUES ($1, $2, $2, $3, $4)`, [
      key.lookup,
      at,
      seal(key, data),
      waitingKiosk(data),
    ]);
  }

  async find(key: WebSessionKey): Promise<WebSessionRow | undefined> {
    const { rows } = await this.query(`SELECT created_at, seen_at, data FROM ${this.table} WHERE id_hash = $1`, [key.lookup]);
    const row = rows[0] as { created_at: string; seen_at: string; data: string } | undefined;
    const text = row && new SecretBox(key.sealKey).open(row.data);
    return text === undefined ? undefined : { createdAt: Number(row!.created_at), seenAt: Number(row!.seen_at), data: JSON.parse(text) };
  }

  async touch(lookup: string, at: number): Promise<void> {
    await this.query(`UPDATE ${this.table} SET seen_at = $1 WHERE id_hash = $2 AND seen_at < $1`, [at, lookup]);
  }

  async replace(key: WebSessionKey, at: number, data: SessionData): Promise<void> {
    await this.query(`UPDATE ${this.table} SET seen_at = $1, data = $3, waiting_kiosk = $4 WHERE id_hash = $2`, [
      at,
      key.lookup,
      seal(key, data),
      waitingKiosk(data),
    ]);
  }

  async remove(lookup: string): Promise<void> {
    await this.query(`DELETE FROM ${this.table} WHERE id_hash = $1`, [lookup]);
  }

  async sweep(idleBefore: number, createdBefore: number): Promise<number> {
    const { rowCount } = await this.query(`DELETE FROM ${this.table} WHERE (seen_at < $1 AND NOT waiting_kiosk) OR created_at < $2`, [
      idleBefore,
      createdBefore,
    ]);
    return rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

const seal = (key: WebSessionKey, data: SessionData) => new SecretBox(key.sealKey).seal(JSON.stringify(data));

/** A device in kiosk mode with nobody signed in: it waits for its next resident however long (only its absolute expiry ends it). */
const waitingKiosk = (data: SessionData) => Boolean(data.kiosk && !data.principal);
