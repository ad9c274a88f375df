import { openSchedule, startApi } from './support/api-client';
import { ok, votingFund, type VotingFund } from './support/voting-fund';

/** An administrator edits a fund they have read: refused if it changed since (expectedRevision). */
let api: Awaited<ReturnType<typeof startApi>>;
let f: VotingFund;

beforeAll(async () => {
  api = await startApi();
  f = await votingFund(api, [], { until: 'draft' });
});

afterAll(() => api.stop());

const RESCHEDULE = `mutation($f: ID!, $s: ScheduleInput!, $rev: Int) { rescheduleFund(fundId: $f, schedule: $s, expectedRevision: $rev) { position fund { revision } } }`;
const CHANGE_RULES = `mutation($f: ID!, $p: ID!, $r: PotRulesInput!, $rev: Int) {
  changePotRules(fundId: $f, potId: $p, rules: $r, expectedRevision: $rev) { position fund { revision pots { budget } } } }`;
const read = async () => ok(await api.gql(`query($f: ID!) { fund(id: $f) { revision } }`, { f: f.fundId })).fund.revision as number;

describe('expectedRevision on fund edits', () => {
  it.each([
    ['rescheduleFund', RESCHEDULE, () => ({ s: openSchedule(20) })],
    [
      'changePotRules',
      CHANGE_RULES,
      () => ({ p: f.potId, r: { budget: '6000000', rule: 'greedy_by_votes', ballot: { kind: 'knapsack' } } }),
    ],
  ])('%s applies an edit of what was read, and refuses one of what changed since', async (name, mutation, vars) => {
    const revision = await read();
    const edited = ok(await api.gql(mutation, { f: f.fundId, rev: revision, ...vars() }, f.admin))[name];
    expect(edited.fund.revision).toBe(revision + 1);
    expect(typeof edited.position).toBe('string');
    const stale = await api.gql(mutation, { f: f.fundId, rev: revision, ...vars() }, f.admin);
    expect(stale.errors?.[0].extensions.code).toBe('EDIT.STALE_REVISION');
    expect(await read()).toBe(revision + 1);
    expect(ok(await api.gql(mutation, { f: f.fundId, ...vars() }, f.admin))[name].fund.revision).toBe(revision + 2);
  });
});
