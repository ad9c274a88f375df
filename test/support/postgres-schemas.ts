import { Client } from 'pg';

/** Drops what an API on PostgreSQL made for a deployment's schema: the schema of its events and the vault's beside it. */
export async function dropDeployment(databaseUrl: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS ${schema}_vault CASCADE`);
  } finally {
    await client.end();
  }
}
