import { randomBytes } from 'node:crypto';
import { startApi } from './support/api-client';
import { dropDeployment } from './support/postgres-schemas';
import { runIdenticalElection } from './support/identical-election';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `test_same_${randomBytes(4).toString('hex')}`;

/** The same election on SQLite and on PostgreSQL gives the same results, to the penny and the word. */
describe('two identical elections, on SQLite and on PostgreSQL', () => {
  afterAll(async () => {
    await dropDeployment(DATABASE_URL, schema);
  });

  it('give identical results line by line', async () => {
    const [sqlite, postgres] = [await startApi(), await startApi({ EVENT_STORE: 'postgres', DATABASE_URL, DATABASE_SCHEMA: schema })];
    try {
      const [a, b] = [await runIdenticalElection(sqlite), await runIdenticalElection(postgres)];
      expect(b).toEqual(a);
    } finally {
      await Promise.all([sqlite.stop(), postgres.stop()]);
    }
  }, 240_000);
});
