import { planFilter } from './filter';

/** The server matches the regex against the event type or the stream name. */
function passes(plan: ReturnType<typeof planFilter>, type: string, stream: string): boolean {
  const on = plan.server.filterOn === 'eventType' ? type : stream;
  return 'regex' in plan.server && new RegExp(plan.server.regex).test(on);
}

describe(planFilter.name, () => {
  it('without a filter, excludes system events on the server', () => {
    const plan = planFilter(undefined);
    expect(plan.server.filterOn).toBe('eventType');
    expect(passes(plan, 'BallotCast', 'ballot-1')).toBe(true);
    expect(passes(plan, '$metadata', '$$ballot-1')).toBe(false);
    expect(passes(plan, '$>', '$ce-ballot')).toBe(false);
  });

  it('matches event types exactly (no prefixes, dots literal), which also keeps out system types', () => {
    const plan = planFilter({ eventTypes: ['BallotCast', 'fund.v2'] });
    expect(passes(plan, 'BallotCast', 'ballot-1')).toBe(true);
    expect(passes(plan, 'fund.v2', 'fund-1')).toBe(true);
    expect(passes(plan, 'BallotCastAgain', 'ballot-1')).toBe(false);
    expect(passes(plan, 'fundxv2', 'fund-1')).toBe(false);
    expect(passes(plan, '$BallotCast', 'ballot-1')).toBe(false);
    expect(plan.residual).toBeUndefined();
  });

  it('matches stream categories as the part before the first dash, never system streams', () => {
    const plan = planFilter({ streamCategories: ['ballot'] });
    expect(plan.server.filterOn).toBe('streamName');
    expect(passes(plan, 'BallotCast', 'ballot-p1-a')).toBe(true);
    expect(passes(plan, 'BallotCast', 'ballotx-1')).toBe(false);
    expect(passes(plan, 'BallotCast', '$ce-ballot')).toBe(false);
  });

  it('filters on types at the server and leaves categories to check here when both are given', () => {
    const plan = planFilter({ eventTypes: ['FundCreated'], streamCategories: ['fund'] });
    expect(plan.server.filterOn).toBe('eventType');
    expect(plan.residual).toEqual({ streamCategories: ['fund'] });
  });

  it('knows an empty list matches nothing', () => {
    expect(planFilter({ eventTypes: [] }).matchesNothing).toBe(true);
    expect(planFilter({ streamCategories: [] }).matchesNothing).toBe(true);
    expect(planFilter({ eventTypes: ['A'] }).matchesNothing).toBe(false);
  });
});

describe('planFilter in a namespace', () => {
  it('filters on the namespaced stream names at the server and on types here', () => {
    const plan = planFilter({ eventTypes: ['BallotCast'], streamCategories: ['ballot', 'fund'] }, 't1a2_');
    expect(plan.server.filterOn).toBe('streamName');
    expect(passes(plan, 'X', 't1a2_ballot-1')).toBe(true);
    expect(passes(plan, 'X', 't1a2_fund-1')).toBe(true);
    expect(passes(plan, 'X', 't1a2_ballotx-1')).toBe(false);
    expect(passes(plan, 'X', 'ballot-1')).toBe(false);
    expect(passes(plan, 'X', '$$t1a2_ballot-1')).toBe(false);
    expect(plan.residual).toEqual({ eventTypes: ['BallotCast'] });
    expect(passes(planFilter(undefined, 't1a2_'), 'X', 't1a2_anything-1')).toBe(true);
  });
});
