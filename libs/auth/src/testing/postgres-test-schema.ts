import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema name for one spec, and a way to drop it. */
export function testSchema(prefix: string): { url: string; schema: string; drop: () => Promise<void> } {
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  return {
    url: TEST_DATABASE_URL,
    schema,
    drop: () => withClient(async (client) => void (await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`))),
  };
}

/** Runs `work` on a connection of its own. */
export async function withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A gate that forces two nodes' statements to meet: `hold` runs `lock` in a transaction of its
 * own and keeps it open; `waiters(n)` resolves once n other connections wait behind it
 * (the statements to race are queued behind the gate); `open` commits, letting them through at once.
 */
export async function lockGate(lock: { sql: string; values?: unknown[] }) {
  const holder = new Client({ connectionString: TEST_DATABASE_URL });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query(lock.sql, lock.values ?? []);
  const pid = ((await holder.query('SELECT pg_backend_pid() AS pid')).rows[0] as { pid: number }).pid;
  return {
    async waiters(n: number): Promise<void> {
      for (const giveUpAt = Date.now() + 10_000; ;) {
        // Queued behind the gate, or behind a statement that is (a row's second waiter waits on its first).
        const { rows } = await holder.query(
          `WITH RECURSIVE queued (pid) AS (
             SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))
             UNION SELECT a.pid FROM pg_stat_activity a JOIN queued q ON q.pid = ANY(pg_blocking_pids(a.pid)))
           SELECT count(*)::int AS n FROM queued`,
          [pid],
        );
        if ((rows[0] as { n: number }).n >= n) return;
        if (Date.now() > giveUpAt) {
          await holder.query('ROLLBACK');
          await holder.end();
          throw new Error(`${n} statements never queued behind the gate`);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    async open(): Promise<void> {
      await holder.query('COMMIT');
      await holder.end();
    },
  };
}

/**
 * Whether `text` is anywhere in the files of a schema's tables and indexes named `prefix…`,
 * read after a checkpoint has written every page (a dead row's bytes included).
 */
export const inRelationFiles = (schema: string, prefix: string, text: string): Promise<boolean> =>
  withClient(async (client) => {
    await client.query('CHECKPOINT');
    const { rows } = await client.query<{ found: boolean }>(
      `SELECT coalesce(bool_or(position(convert_to($3, 'UTF8') IN pg_read_binary_file(pg_relation_filepath(c.oid))) > 0), false) AS found
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'i') AND starts_with(c.relname, $2)`,
      [schema, prefix, text],
    );
    return rows[0].found;
  });
