import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { runFundLife, verifyHistory } from './support/fund-life-scenario';
import { startApi } from './support/api-client';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `test_api_${randomBytes(4).toString('hex')}`;

describe('a fund from creation to delivery, on PostgreSQL', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  beforeAll(async () => {
    api = await startApi({ EVENT_STORE: 'postgres', DATABASE_URL, DATABASE_SCHEMA: schema });
  });
  afterAll(async () => {
    await api.stop();
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('runs end to end, keeping results hidden until a councillor publishes them', () => runFundLife(api), 90_000);

  it(
    'leaves a history that an auditor verifies with the published key',
    () => verifyHistory(api, ['--store', 'postgres', '--database-url', DATABASE_URL, '--schema', schema]),
    120_000,
  );
});
