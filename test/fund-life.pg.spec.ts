import { randomBytes } from 'node:crypto';
import { runFundLife, verifyHistory } from './support/fund-life-scenario';
import { startApi } from './support/api-client';
import { dropDeployment } from './support/postgres-schemas';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `test_api_${randomBytes(4).toString('hex')}`;

describe('a fund from creation to delivery, on PostgreSQL', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  beforeAll(async () => {
    api = await startApi({ EVENT_STORE: 'postgres', DATABASE_URL, DATABASE_SCHEMA: schema });
  });
  afterAll(async () => {
    await api.stop();
    await dropDeployment(DATABASE_URL, schema);
  });

  it('runs end to end, keeping results hidden until a councillor publishes them', () => runFundLife(api), 90_000);

  it(
    'leaves a history that an auditor verifies with the published key',
    () => verifyHistory(api, ['--store', 'postgres', '--database-url', DATABASE_URL, '--schema', schema]),
    120_000,
  );
});
