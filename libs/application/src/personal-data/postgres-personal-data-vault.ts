import { Pool } from 'pg';
import { newKey } from './aes-gcm';
import { KeyedVault, type KeyTable } from './keyed-vault';

/** Options of the vault shared by the API nodes of one PostgreSQL deployment. */
export interface PostgresPersonalDataVaultOptions {
  /** The vault's server (`VAULT_DATABASE_URL`, by default the event store's). */
  readonly connectionString: string;
  /**
   * The vault's own schema, apart from the events' (`VAULT_SCHEMA`), so that it is backed up
   * apart from them and can be kept for less time. Created when missing.
   */
  readonly schema: string;
  /** @defaultValue 10 */
  readonly poolSize?: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Keys in one PostgreSQL table shared by every node, so that a resident imported through one
 * node can vote through another. One row per resident, holding the key or, once the resident
 * is erased, NULL for good: creation (`INSERT … ON CONFLICT DO NOTHING`) and erasure (an upsert
 * to NULL) meet on the same primary key, so whichever commits second sees the first, and an
 * erased resident never gets a new key, even from a node creating one at the same moment.
 *
 * Keys are not cached on a node: every `open` reads the row, so an erasure on one node holds on
 * every node from the next ballot on.
 *
 * After an erasure the table is vacuumed, which prunes the dead row version that held the key
 * from the table's pages. PostgreSQL's write-ahead log and any base backup keep the key's bytes
 * until they are recycled or expire: keep the WAL retention and the vault's backups short, and
 * the server on an encrypted volume (the README says so).
 */
class PostgresKeyTable implements KeyTable {
  /** Keys asked for in this turn of the event loop, created together in one round trip. */
  private pending = new Map<string, { resolve: (key: Buffer | undefined) => void; reject: (error: unknown) => void }[]>();
  private readonly table: string;
  readonly ready: Promise<void>;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    if (!IDENTIFIER.test(schema)) throw new Error(`VAULT_SCHEMA must be a lower-case SQL identifier: ${schema}`);
    const table = `${schema}.resident_keys`;
    this.table = table;
    this.ready = (async () => {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await pool.query(
        `CREATE TABLE IF NOT EXISTS ${table} (
           resident_id text PRIMARY KEY,
           -- NULL once the resident is erased: they never get another key.
           key bytea CHECK (key IS NULL OR octet_length(key) = 32)
         )`,
      );
    })().catch((err: unknown) => {
      // Two nodes starting at once may race on CREATE … IF NOT EXISTS; the loser sees a unique violation.
      if ((err as { code?: string }).code !== '23505' && (err as { code?: string }).code !== '42P07') throw err;
    });
  }

  async get(residentId: string): Promise<Buffer | undefined> {
    await this.ready;
    const { rows } = await this.pool.query<{ key: Buffer | null }>(`SELECT key FROM ${this.table} WHERE resident_id = $1`, [residentId]);
    return rows[0]?.key ?? undefined;
  }

  /**
   * The keys asked for in the same turn are created in one statement (an import of a register
   * pays one round trip per group of rows, not per row), then read back: a key another node
   * created first is the one both get.
   */
  getOrCreate(residentId: string): Promise<Buffer | undefined> {
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) setImmediate(() => void this.createPending());
      this.pending.set(residentId, [...(this.pending.get(residentId) ?? []), { resolve, reject }]);
    });
  }

  async destroy(residentId: string): Promise<void> {
    await this.ready;
    await this.pool.query(
      `INSERT INTO ${this.table} (resident_id, key) VALUES ($1, NULL) ON CONFLICT (resident_id) DO UPDATE SET key = NULL`,
      [residentId],
    );
    await this.pool.query(`VACUUM ${this.table}`);
  }

  /** One statement: a row stored now is returned; a resident with a row (a key, or NULL once erased) keeps it. */
  async createNew(residentIds: readonly string[], keys: readonly Buffer[]): Promise<Map<string, Buffer>> {
    await this.ready;
    const { rows } = await this.pool.query<{ resident_id: string; key: Buffer }>(
      `INSERT INTO ${this.table} (resident_id, key) SELECT * FROM unnest($1::text[], $2::bytea[])
       ON CONFLICT (resident_id) DO NOTHING RETURNING resident_id, key`,
      [residentIds, keys],
    );
    return new Map(rows.map((r) => [r.resident_id, r.key]));
  }

  /** Only keys: the NULL row of an erased resident stays, so they never get another. */
  async discard(residentIds: readonly string[]): Promise<void> {
    await this.ready;
    await this.pool.query(`DELETE FROM ${this.table} WHERE resident_id = ANY($1::text[]) AND key IS NOT NULL`, [residentIds]);
    await this.pool.query(`VACUUM ${this.table}`);
  }

  private async createPending(): Promise<void> {
    const batch = [...this.pending];
    this.pending = new Map();
    try {
      await this.ready;
      const ids = batch.map(([residentId]) => residentId);
      await this.pool.query(
        `INSERT INTO ${this.table} (resident_id, key) SELECT * FROM unnest($1::text[], $2::bytea[]) ON CONFLICT (resident_id) DO NOTHING`,
        [ids, ids.map(() => newKey())],
      );
      const { rows } = await this.pool.query<{ resident_id: string; key: Buffer | null }>(
        `SELECT resident_id, key FROM ${this.table} WHERE resident_id = ANY($1::text[])`,
        [ids],
      );
      const keys = new Map(rows.map((r) => [r.resident_id, r.key ?? undefined]));
      for (const [residentId, waiting] of batch) for (const w of waiting) w.resolve(keys.get(residentId));
    } catch (error) {
      for (const [, waiting] of batch) for (const w of waiting) w.reject(error);
    }
  }
}

/** The vault of several API nodes on one PostgreSQL: the keys in a schema of their own. */
export class PostgresPersonalDataVault extends KeyedVault {
  private readonly pool: Pool;
  private readonly table: PostgresKeyTable;

  constructor(options: PostgresPersonalDataVaultOptions) {
    const pool = new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
    pool.on('error', () => undefined); // an idle connection dropped; the pool replaces it on next use
    const table = new PostgresKeyTable(pool, options.schema);
    super(table);
    this.pool = pool;
    this.table = table;
  }

  /** Resolves once the schema and table exist (the API waits for it at start-up). */
  ready(): Promise<void> {
    return this.table.ready;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
