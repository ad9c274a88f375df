import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PostgresWebSessionRecords } from './postgres-web-session-records';
import { webSessionKeyOf, WebSessionStore } from './web-session';
import { webSessionStoreContract } from './web-session-store.contract';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `web_sessions_${randomBytes(4).toString('hex')}`;

const dropSchema = async (name: string) => {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  await client.end();
};
afterAll(() => dropSchema(schema));

webSessionStoreContract(PostgresWebSessionRecords.name, async () => new PostgresWebSessionRecords({ connectionString: url, schema }));

describe(`${PostgresWebSessionRecords.name} migrations`, () => {
  it('lets several nodes start at once on a fresh schema, and migrates it once', async () => {
    const fresh = `${schema}_race`;
    const nodes = Array.from({ length: 4 }, () => new PostgresWebSessionRecords({ connectionString: url, schema: fresh }));
    try {
      await Promise.all(nodes.map((records) => records.find(webSessionKeyOf('nobody'))));
      const again = new PostgresWebSessionRecords({ connectionString: url, schema: fresh });
      await again.whenReady();
      await again.close();
      const client = new Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query(`SELECT version FROM ${fresh}.web_session_migrations ORDER BY version`);
      await client.end();
      expect(rows).toEqual([{ version: 1 }]);
    } finally {
      await Promise.all(nodes.map((records) => records.close()));
      await dropSchema(fresh);
    }
  });

  it('refuses a schema migrated by a newer program', async () => {
    const newer = `${schema}_newer`;
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE SCHEMA ${newer}; CREATE TABLE ${newer}.web_session_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
      INSERT INTO ${newer}.web_session_migrations (version) VALUES (99)`);
    await client.end();
    const records = new PostgresWebSessionRecords({ connectionString: url, schema: newer });
    try {
      await expect(records.whenReady()).rejects.toThrow(/version 99, newer than this program knows/);
    } finally {
      await records.close();
      await dropSchema(newer);
    }
  });
});

describe(`${PostgresWebSessionRecords.name} data`, () => {
  it('keeps neither the API token nor who is signed in readable in the table: each record opens only under its own cookie', async () => {
    const records = new PostgresWebSessionRecords({ connectionString: url, schema });
    const store = new WebSessionStore(records);
    try {
      const principal = { subject: 'TH-SEALED-1', role: 'resident' as const, method: 'dev' as const, apiToken: 'eyJ-sealed-token' };
      const { id, data, saved } = store.create(principal);
      await saved;
      const client = new Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query(`SELECT t::text AS line FROM ${schema}.web_sessions t`);
      await client.end();
      expect(rows.map((r) => r.line).join('\n')).not.toMatch(/TH-SEALED-1|eyJ-sealed-token|csrf/);
      expect(await store.get(id)).toEqual(data);
      // Another cookie's key does not open it, even with this record's lookup.
      expect(await records.find({ ...webSessionKeyOf(id), sealKey: webSessionKeyOf(`${id}x`).sealKey })).toBeUndefined();
    } finally {
      await records.close();
    }
  });
});
