import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@civic/event-store-sqlite';
import { cli } from '../testing/cli';
import { writeFundHistory, type FundHistory } from '../testing/fund-history';

const dir = mkdtempSync(join(tmpdir(), 'civic-cli-replay-'));
const path = join(dir, 'events.sqlite');
let history: FundHistory;

beforeAll(async () => {
  const store = new SqliteEventStore({ path });
  history = await writeFundHistory(store, 200);
  await store.close();
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The tally a test expects from the ballots it cast: supporters per proposal, one point a pick. */
function expectedTally(ballots: Record<string, string[]>, proposals: string[]) {
  return proposals.sort().map((proposalId) => {
    const supporters = Object.values(ballots).filter((picks) => picks.includes(proposalId)).length;
    return { proposalId, supporters, points: supporters };
  });
}

type Pot = { potId: string; ballots: number; tally: unknown[]; allocation?: { published: boolean; status: string; lines: unknown[] } };

describe('npm run -s cli -- audit replay', () => {
  it('shows the fund in voting_open with the tally counted so far at a position before voting closed', async () => {
    const { code, stdout } = await cli(['audit', 'replay', '--sqlite-path', path, '--as-of', history.midVote.position]);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ asOf: history.midVote.position, position: history.midVote.position, interrupted: false });
    expect(report.funds).toHaveLength(1);
    const [fund] = report.funds;
    expect(fund).toMatchObject({ fundId: 'fund-2026', name: 'You Decide! 2026', phase: 'voting_open' });
    const ward = fund.pots.find((p: Pot) => p.potId === 'pot-spitalfields');
    const borough = fund.pots.find((p: Pot) => p.potId === 'pot-borough');
    const counted = history.midVote.counted;
    expect(ward.ballots).toBe(Object.keys(counted['pot-spitalfields']).length);
    expect(ward.ballots).toBeLessThan(150);
    expect(ward.tally).toEqual(expectedTally(counted['pot-spitalfields'], ['benches', 'trees', 'lights', 'mural']));
    expect(borough.tally).toEqual(expectedTally(counted['pot-borough'], ['library', 'pool', 'market']));
    expect(ward.allocation).toBeUndefined();
    expect(code).toBe(0);
  }, 60_000);

  it('shows the published allocations at the end of the history', async () => {
    const { code, stdout } = await cli(['audit', 'replay', '--sqlite-path', path]);
    const [fund] = JSON.parse(stdout).funds;
    expect(fund.phase).toBe('delivery');
    for (const pot of fund.pots as Pot[]) {
      expect(pot.allocation).toMatchObject({ status: 'published', published: true });
      expect(pot.ballots).toBeGreaterThan(180);
    }
    expect(code).toBe(0);
  }, 60_000);

  it('replays to an ISO time, and refuses a position that is not in the history with exit 2', async () => {
    const early = await cli(['audit', 'replay', '--sqlite-path', path, '--as-of', '2000-01-01T00:00:00Z']);
    expect(JSON.parse(early.stdout)).toMatchObject({ position: 'start', funds: [] });
    expect(early.code).toBe(0);
    const missing = await cli(['audit', 'replay', '--sqlite-path', path, '--as-of', '99999999']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/neither a position of this history nor an ISO time/);
    expect(JSON.parse(missing.stdout)).toEqual({ error: { code: 'CLI.USAGE', message: expect.stringMatching(/neither a position/) } });
  }, 60_000);
});
