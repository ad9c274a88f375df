import { join } from 'node:path';
import { cli } from '../apps/cli/src/audit/testing/cli';
import { startApi } from './support/api-client';
import { ok } from './support/voting-fund';

const ASSEN = join(__dirname, '../libs/allocation/test/fixtures/pabulib/Netherlands_Assen_2024.pb');

/** `npm run -s cli -- pb import`, as a process, against a running platform. */
describe('pb import from the command line', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.stop());

  it('imports the projects of a file into a pot in review, and fails with the API’s own codes', async () => {
    const admin = await api.signIn('administrator', 'admin-cli');
    const now = Date.now();
    const schedule = {
      proposalsOpenAt: new Date(now - 3000).toISOString(),
      reviewStartsAt: new Date(now - 2000).toISOString(),
      votingOpensAt: new Date(now + 3600_000).toISOString(),
      votingClosesAt: new Date(now + 7200_000).toISOString(),
    };
    const fundId = ok(
      await api.gql(
        `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
        { i: { name: 'Assen', description: 'Imported', schedule } },
        admin,
      ),
    ).createFund.fund.id;
    const potId = ok(
      await api.gql(
        `mutation($i: AddPotInput!) { addPot(input: $i) { fund { pots { id } } } }`,
        {
          i: {
            fundId,
            name: 'Assen',
            budget: '10000000',
            rule: 'greedy_by_votes',
            ballot: { kind: 'approval', minPicks: 0, maxPicks: 14 },
          },
        },
        admin,
      ),
    ).addPot.fund.pots[0].id;
    for (const step of ['openProposals', 'startReview'])
      ok(await api.gql(`mutation($id: ID!) { ${step}(fundId: $id) { position } }`, { id: fundId }, admin));
    const run = (token: string, part = 'projects') =>
      cli(['pb', 'import', '--url', api.url, '--token', token, '--fund', fundId, '--pot', potId, '--part', part, ASSEN]);
    const done = await run(admin);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({
      part: 'projects',
      projects: 14,
      ballots: 0,
      fileDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const early = await run(admin, 'ballots');
    expect(early.code).toBe(1);
    expect(JSON.parse(early.stdout)).toEqual({ error: { code: 'BALLOT.VOTING_NOT_OPEN', message: expect.any(String) } });
    const usage = await cli(['pb', 'import', '--url', api.url, ASSEN]);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout).error.code).toBe('CLI.USAGE');
  }, 120_000);
});
