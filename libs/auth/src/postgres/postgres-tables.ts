import { Pool, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Sign-in's tables in one PostgreSQL schema shared by every API node: created on first use, by
 * one node at a time (concurrent CREATE … IF NOT EXISTS can collide in the catalogue), then
 * queried through one pool.
 */
export class PostgresTables {
  readonly schema: string;
  private readonly pool: Pool;
  private ready?: Promise<void>;

  constructor(private readonly options: { connectionString: string; schema: string; ddl: (schema: string) => string; max?: number }) {
    if (!IDENTIFIER.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
    this.schema = options.schema;
    this.pool = new Pool({ connectionString: options.connectionString, max: options.max ?? 5 });
    this.pool.on('error', () => undefined); // an idle connection dropped; the pool replaces it on next use
  }

  private async createTables(): Promise<void> {
    await this.inTransaction(async (client) => {
      // One lock per schema: the stores sharing a schema do not race each other on CREATE SCHEMA either.
      await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`civic-ledger/schema/${this.schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}; ${this.options.ddl(this.schema)}`);
    });
  }

  /** Resolves once the tables exist (the API waits for it at start-up). */
  async whenReady(): Promise<void> {
    this.ready ??= this.createTables();
    await this.ready.catch((err) => {
      this.ready = undefined;
      throw err;
    });
  }

  async query<R extends QueryResultRow = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<QueryResult<R>> {
    await this.whenReady();
    return this.pool.query<R>(sql, values);
  }

  /** Runs `work` in one transaction on one connection (committed when it resolves, rolled back when it throws). */
  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    await this.whenReady();
    return this.inTransaction(work);
  }

  private inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Runs `work` in one transaction on one of the pool's connections (committed when it resolves, rolled back when it throws). */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
