import { PostgresSessionStore } from './postgres-session-store';
import { sessionStoreContract } from '../testing/session-store.contract';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `sessions_${process.pid}_${Date.now() % 100000}`;
sessionStoreContract(PostgresSessionStore.name, async () => new PostgresSessionStore({ connectionString: url, schema }));

afterAll(async () => {
  const { Pool } = await import('pg');
  const pool = new Pool({ connectionString: url });
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
});

it('lets several nodes start at once on a fresh schema (the tables are created under a lock)', async () => {
  const fresh = `${schema}_race`;
  const stores = Array.from({ length: 4 }, () => new PostgresSessionStore({ connectionString: url, schema: fresh }));
  try {
    await Promise.all(stores.map((store) => store.find('nobody')));
  } finally {
    await Promise.all(stores.map((store) => store.close()));
    const { Pool } = await import('pg');
    const pool = new Pool({ connectionString: url });
    await pool.query(`DROP SCHEMA IF EXISTS ${fresh} CASCADE`);
    await pool.end();
  }
});
