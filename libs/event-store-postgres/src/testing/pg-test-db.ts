import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PostgresEventStore, type PostgresEventStoreOptions } from '../postgres-event-store';

/** The server the PostgreSQL suites run against. */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Schemas for one test run: `test_<random>_<n>`, one per store, all dropped by `dropAll`.
 */
export class TestSchemas {
  readonly prefix = `test_${randomBytes(4).toString('hex')}`;
  private n = 0;

  next(): string {
    return `${this.prefix}_${++this.n}`;
  }

  connect(schema = this.next(), options: Partial<PostgresEventStoreOptions> = {}): Promise<PostgresEventStore> {
    // A generous read-your-writes window: other suites on a shared server may hold transactions open.
    return PostgresEventStore.connect({ connectionString: DATABASE_URL, schema, readYourWritesMs: 10_000, ...options });
  }

  async dropAll(): Promise<void> {
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [
        `${this.prefix}\\_%`,
      ]);
      for (const { nspname } of rows) await client.query(`DROP SCHEMA "${nspname}" CASCADE`);
    } finally {
      await client.end();
    }
  }
}
