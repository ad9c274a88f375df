import { startApi } from './support/api-client';
import { ok, votingFund } from './support/voting-fund';

const LINES = `lines { proposalId title number funded amount amountInPounds overridden reason
  explanation { supporters mes { outcome exhaustedBy exhaustedByTitle exhaustedByNumber overlaps { proposalId title number shared } } } }`;

/** Allocation lines name their proposal (title, number), give pounds beside pence, and flag an override. */
describe('allocation lines as pages read them', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.stop());

  it('carries title, number, pence as a string, formatted pounds and the override flag with its reason, in draft and results', async () => {
    const voters = ['TH-410000', 'TH-410001'];
    const fund = await votingFund(api, voters);
    for (const reference of voters)
      ok(
        await api.gql(
          `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position } }`,
          { f: fund.fundId, p: fund.potId, c: { proposalIds: [fund.proposals[0]] } },
          fund.tokens[reference],
        ),
      );
    ok(
      await api.gql(
        `mutation($f: ID!) { closeVotingEarly(fundId: $f, reason: "Test") { fund { phase } } }`,
        { f: fund.fundId },
        fund.admin,
      ),
    );
    const pot = { f: fund.fundId, p: fund.potId };
    const computed = ok(
      await api.gql(`mutation($f: ID!, $p: ID!) { computeAllocation(fundId: $f, potId: $p) { ${LINES} } }`, pot, fund.admin),
    ).computeAllocation;
    const first = computed.lines.find((l: { proposalId: string }) => l.proposalId === fund.proposals[0]);
    expect(first).toMatchObject({ title: 'Playground', funded: true, amount: '1000000', amountInPounds: '£10,000.00', overridden: false });
    expect(typeof first.number).toBe('number');
    expect(computed.lines.every((l: { title: string }) => l.title.length > 0)).toBe(true);

    ok(
      await api.gql(
        `mutation($f: ID!, $p: ID!, $x: ID!) { overrideAllocationLine(fundId: $f, potId: $p, proposalId: $x, funded: false, reason: "Site unavailable") { status } }`,
        { ...pot, x: fund.proposals[0] },
        fund.councillor,
      ),
    );
    const draft = ok(
      await api.gql(`query($p: ID!) { draftAllocation(potId: $p) { status ${LINES} } }`, { p: fund.potId }, fund.councillor),
    ).draftAllocation;
    const overridden = draft.lines.find((l: { proposalId: string }) => l.proposalId === fund.proposals[0]);
    expect(overridden).toMatchObject({ funded: false, amount: '0', amountInPounds: '£0.00', overridden: true, reason: 'Site unavailable' });
    expect(draft.lines.filter((l: { overridden: boolean }) => l.overridden)).toHaveLength(1);

    for (const step of ['ratifyAllocation', 'publishAllocation'])
      ok(await api.gql(`mutation($f: ID!, $p: ID!) { ${step}(fundId: $f, potId: $p) { status } }`, pot, fund.councillor));
    ok(await api.gql(`mutation($id: ID!) { publishResults(fundId: $id) { fund { phase } } }`, { id: fund.fundId }, fund.councillor));
    const results = ok(await api.gql(`query($p: ID!) { results(potId: $p) { status ${LINES} } }`, { p: fund.potId })).results;
    expect(results.status).toBe('published');
    expect(results.lines.find((l: { proposalId: string }) => l.proposalId === fund.proposals[0])).toMatchObject({
      title: 'Playground',
      overridden: true,
      reason: 'Site unavailable',
    });
  });
});
