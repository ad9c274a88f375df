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
