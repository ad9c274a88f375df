import { streams } from '../common';
import { evolveFund, initialFundState, type FundState } from '../fund/fund.state';
import { FUND_ID } from '../testing/fixtures';
import { liveAFundsLife } from '../testing/fund-life';
import { DATES_OF_BIRTH, RESIDENTS, VOTERS } from '../testing/scenario';
import { breaches } from './invariants';

describe("replaying a fund's events", () => {
  const { scenario, outcomes } = liveAFundsLife();
  const { world } = scenario;

  it('lives a whole fund, every step accepted', () => expect(outcomes.filter((o) => !o.ok)).toEqual([]));

  it('from zero gives the same state as the live one, stream by stream', () => expect(world.replay()).toEqual(world.live()));

  it('breaks no invariant on the way', () => expect(breaches(world.log, VOTERS, DATES_OF_BIRTH)).toEqual([]));

  it('shows the fund as it stood at any earlier position', () => {
    const fundEvents = world.log.filter((r) => r.stream === streams.fund(FUND_ID)).map((r) => r.event);
    const phases = fundEvents
      .map((_, n) => (fundEvents.slice(0, n + 1) as never[]).reduce(evolveFund, initialFundState()) as FundState)
      .map((s) => s.status);
    expect(phases).toEqual([
      'draft',
      'draft',
      'draft',
      'draft',
      'draft',
      'proposals_open',
      'review',
      'voting_open',
      'voting_closed',
      'results_published',
      'delivery',
      'closed',
    ]);
  });

  it('keeps no resident identity in any ballot event', () => {
    const ballotEvents = world.log.filter((r) => r.stream.startsWith('ballot-')).map((r) => JSON.stringify(r.event));
    expect(ballotEvents.length).toBeGreaterThan(0);
    for (const json of ballotEvents) for (const r of RESIDENTS) expect(json).not.toContain(r.residentId);
  });
});
