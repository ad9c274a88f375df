import { runFundLife, verifyHistory } from './support/fund-life-scenario';
import { startApi } from './support/api-client';

describe('a fund from creation to delivery, on the embedded store', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.stop());

  it('runs end to end, keeping results hidden until a councillor publishes them', () => runFundLife(api), 60_000);

  it(
    'leaves a history that an auditor verifies with the published key: every chain, checkpoint and witness',
    () => verifyHistory(api, ['--store', 'sqlite', '--sqlite-path', api.sqlitePath]),
    120_000,
  );
});
