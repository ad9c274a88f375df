import { pollCardStoreContract } from '../testing/poll-card-store.contract';
import { testSchema } from '../testing/postgres-test-schema';
import { PostgresPollCards } from './postgres-poll-cards';

const { url, schema, drop } = testSchema('poll_cards');
const node = () => new PostgresPollCards({ connectionString: url, schema });
pollCardStoreContract(PostgresPollCards.name, async () => node());
afterAll(drop);

it('shares cards and failed tries between two nodes: issued on one, revoked on the other, counted together', async () => {
  const [a, b] = [node(), node()];
  try {
    await a.issueAll('fund-x', [{ residentId: 'r-1', codeHash: 'h1' }], 1_000);
    expect(await b.activeFor('r-1')).toEqual([{ fundId: 'fund-x', codeHash: 'h1' }]);
    expect(await b.revoke('fund-x', 'r-1', 2_000)).toBe(true);
    expect(await a.activeFor('r-1')).toEqual([]);
    expect(await a.revoke('fund-x', 'r-1', 2_100)).toBe(false);
    await a.recordFailure('ref-x', 3_000);
    await b.recordFailure('ref-x', 3_001);
    expect(await a.failuresSince('ref-x', 0)).toBe(2);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

it('lets several nodes start at once on a fresh schema (the tables are created under a lock)', async () => {
  const fresh = testSchema('poll_cards_race');
  const nodes = Array.from({ length: 4 }, () => new PostgresPollCards({ connectionString: fresh.url, schema: fresh.schema }));
  try {
    await Promise.all(nodes.map((n) => n.activeFor('nobody')));
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
    await fresh.drop();
  }
});
