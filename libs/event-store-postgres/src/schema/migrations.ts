import type { ClientBase } from 'pg';

/**
 * Versioned migrations, applied in order at connect and recorded in `<schema>.schema_migrations`.
 * Never edit a released migration: add the next one.
 *
 * The global order is (transaction_id, position): `position` comes from a sequence, taken
 * before commit, so on its own a reader could pass a position whose transaction commits later.
 * See read/read-all.ts for how readers use transaction_id to never do that.
 *
 * data and metadata are `text`, not `jsonb`: jsonb rejects `\u0000` and reorders keys, and the
 * audit hashes exactly the JSON that was written.
 */
const MIGRATIONS: readonly ((s: string) => string)[] = [
  (s) => `
    CREATE TABLE ${s}.events (
      transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
      position        bigserial   NOT NULL,
      event_id        uuid        NOT NULL,
      stream_name     text        NOT NULL,
      stream_category text        NOT NULL,
      revision        bigint      NOT NULL,
      type            text        NOT NULL,
      data            text        NOT NULL,
      metadata        text        NOT NULL,
      recorded_at     timestamptz NOT NULL,
      PRIMARY KEY (transaction_id, position),
      -- The final guards against writers on other nodes: a race becomes a unique violation,
      -- and the batch is decided again on fresh state (append/commit-batch.ts).
      CONSTRAINT events_event_id_key UNIQUE (event_id),
      CONSTRAINT events_stream_revision_key UNIQUE (stream_name, revision)
    );
    CREATE INDEX events_by_category ON ${s}.events (stream_category, transaction_id, position);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

import { quoteSchema } from './schema-name';

export { quoteSchema };

/**
 * Creates the schema and applies the missing migrations in one transaction, under an advisory
 * lock so that API nodes starting together migrate once.
 */
export async function migrate(client: ClientBase, schema: string): Promise<void> {
  const s = quoteSchema(schema);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`civic-ledger:migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${s}.schema_migrations`);
    const current = rows[0].v ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new Error(`Schema "${schema}" is at version ${current}, newer than this program knows (${SCHEMA_VERSION})`);
    }
    for (let v = current; v < SCHEMA_VERSION; v++) {
      await client.query(MIGRATIONS[v](s));
      await client.query(`INSERT INTO ${s}.schema_migrations (version) VALUES ($1)`, [v + 1]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
