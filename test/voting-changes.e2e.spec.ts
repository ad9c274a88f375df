import { startApi } from './support/api-client';
import { ok, votingFund } from './support/voting-fund';

/** An officer extends voting after an outage, or closes it early: over HTTP, recorded with the reason, never reopened. */
describe('extending and closing voting early over the API', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.stop());

  const FUND = `fund(id: $f) { phase schedule { votingClosesAt } votingChanges { kind reason time previousClosesAt votingClosesAt position } }`;

  it('records an extension and an early close with their reasons, publicly, and refuses ballots after the close', async () => {
    const f = await votingFund(api, ['VC-1', 'VC-2']);
    const newClose = new Date(f.closesAt.getTime() + 2 * 24 * 3600 * 1000).toISOString();
    const extended = ok(
      await api.gql(
        `mutation($f: ID!, $t: DateTime!) { extendVoting(fundId: $f, votingClosesAt: $t, reason: "Outage on Sunday") { fund { schedule { votingClosesAt } } } }`,
        { f: f.fundId, t: newClose },
        f.admin,
      ),
    );
    expect(new Date(extended.extendVoting.fund.schedule.votingClosesAt).toISOString()).toBe(newClose);
    const vote = (r: string) =>
      api.gql(
        `mutation($f: ID!, $p: ID!, $id: ID!) { castBallot(fundId: $f, potId: $p, content: { proposalIds: [$id] }) { position } }`,
        { f: f.fundId, p: f.potId, id: f.proposals[0] },
        f.tokens[r],
      );
    ok(await vote('VC-1'));
    ok(
      await api.gql(
        `mutation($f: ID!) { closeVotingEarly(fundId: $f, reason: "Fraud under investigation") { fund { phase } } }`,
        { f: f.fundId },
        f.admin,
      ),
    );
    expect((await vote('VC-2')).errors?.[0].extensions.code).toBe('BALLOT.VOTING_CLOSED');
    const reopen = await api.gql(
      `mutation($f: ID!, $t: DateTime!) { extendVoting(fundId: $f, votingClosesAt: $t, reason: "Reopen") { position } }`,
      { f: f.fundId, t: newClose },
      f.admin,
    );
    expect(reopen.errors?.[0].extensions.code).toBe('FUND.WRONG_PHASE');
    // Anyone may read what changed and why; the close shown is the early one.
    const fund = ok(await api.gql(`query($f: ID!) { ${FUND} }`, { f: f.fundId })).fund;
    expect(fund.phase).toBe('voting_closed');
    expect(fund.votingChanges.map((c: { kind: string; reason: string }) => [c.kind, c.reason])).toEqual([
      ['extended', 'Outage on Sunday'],
      ['closed_early', 'Fraud under investigation'],
    ]);
    expect(new Date(fund.votingChanges[0].previousClosesAt).getTime()).toBe(f.closesAt.getTime());
    expect(new Date(fund.schedule.votingClosesAt).getTime()).toBe(new Date(fund.votingChanges[1].time).getTime());
    // The auditor sees who did it in the history.
    const auditor = await api.signIn('auditor', 'auditor-vc');
    const log = ok(await api.gql(`{ auditLog(first: 500) { events { type metadata } } }`, {}, auditor)).auditLog.events as {
      type: string;
      metadata: unknown;
    }[];
    const role = (m: unknown) => (typeof m === 'string' ? JSON.parse(m) : m).actorRole;
    expect(log.filter((e) => e.type === 'VotingExtended' || e.type === 'VotingClosed').map((e) => [e.type, role(e.metadata)])).toEqual(
      expect.arrayContaining([
        ['VotingExtended', 'administrator'],
        ['VotingClosed', 'administrator'],
      ]),
    );
  });

  it('refuses an extension or early close without a reason, and to anyone but an administrator', async () => {
    const f = await votingFund(api, ['VC-3']);
    const early = (reason: string, token: string) =>
      api.gql(
        `mutation($f: ID!, $r: String!) { closeVotingEarly(fundId: $f, reason: $r) { position } }`,
        { f: f.fundId, r: reason },
        token,
      );
    expect((await early(' ', f.admin)).errors?.[0].extensions.code).toBe('FUND.REASON_REQUIRED');
    expect((await early('Because', f.councillor)).errors?.[0].extensions.code).toBe('AUTH.FORBIDDEN');
    const fund = ok(await api.gql(`query($f: ID!) { ${FUND} }`, { f: f.fundId })).fund;
    expect(fund).toMatchObject({ phase: 'voting_open', votingChanges: [] });
  });
});
