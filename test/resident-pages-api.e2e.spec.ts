import { startApi } from './support/api-client';
import { ok, votingFund } from './support/voting-fund';

/**
 * What the residents' pages read from the API: proposal numbers and orders, a fund's time
 * zone, and a resident's own eligibility per pot, over real HTTP on a real SQLite store.
 */
describe('API for the residents’ pages', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.stop());

  it('numbers proposals as they are accepted, never before, and pages them by number', async () => {
    const f = await votingFund(api, ['PN-1'], { until: 'review' });
    const [first, second, third] = f.proposals;
    const numberOf = async (id: string) => ok(await api.gql(`query($id: ID!) { proposal(id: $id) { number status } }`, { id })).proposal;
    expect(await numberOf(first)).toEqual({ number: null, status: 'submitted' });
    // Accepted out of submission order: numbers follow acceptance.
    for (const id of [third, first])
      ok(await api.gql(`mutation($id: ID!) { acceptProposal(proposalId: $id, officialCost: "1000000") { position } }`, { id }, f.reviewer));
    expect(await numberOf(third)).toEqual({ number: 1, status: 'accepted' });
    expect(await numberOf(first)).toEqual({ number: 2, status: 'accepted' });
    expect(await numberOf(second)).toEqual({ number: null, status: 'submitted' });
    const page = ok(
      await api.gql(`query($p: ID!) { proposals(potId: $p, order: number) { edges { node { id number } } } }`, { p: f.potId }),
    );
    expect(page.proposals.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([third, first, second]);
  });

  it('shuffles a pot’s proposals by seed: the same seed, the same order; a page at a time', async () => {
    const f = await votingFund(api, ['PN-2']);
    const order = async (seed: string, first = 10, after?: string) =>
      ok(
        await api.gql(
          `query($p: ID!, $s: String, $f: Int!, $a: String) { proposals(potId: $p, order: random, seed: $s, first: $f, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
          { p: f.potId, s: seed, f: first, a: after },
        ),
      ).proposals;
    const ids = (c: { edges: { node: { id: string } }[] }) => c.edges.map((e) => e.node.id);
    const once = ids(await order('ballot-A'));
    expect([...once].sort()).toEqual([...f.proposals].sort());
    expect(ids(await order('ballot-A'))).toEqual(once);
    const orders = new Set<string>();
    for (let i = 0; i < 12; i++) orders.add(ids(await order(`seed-${i}`)).join(','));
    expect(orders.size).toBeGreaterThan(1);
    const head = await order('ballot-A', 2);
    expect(head.pageInfo.hasNextPage).toBe(true);
    const tail = await order('ballot-A', 2, head.pageInfo.endCursor);
    expect([...ids(head), ...ids(tail)]).toEqual(once);
    const noSeed = await api.gql(`query($p: ID!) { proposals(potId: $p, order: random) { totalCount } }`, { p: f.potId });
    expect(noSeed.errors?.[0].extensions.code).toBe('INPUT.INVALID');
    const wrongCursor = await api.gql(`query($p: ID!, $a: String) { proposals(potId: $p, order: number, after: $a) { totalCount } }`, {
      p: f.potId,
      a: head.pageInfo.endCursor,
    });
    expect(wrongCursor.errors?.[0].extensions.code).toBe('INPUT.INVALID');
  });

  it('filters proposals by category', async () => {
    const f = await votingFund(api, ['PN-3']);
    const count = async (category: string) =>
      ok(await api.gql(`query($p: ID!, $c: String) { proposals(potId: $p, category: $c) { totalCount } }`, { p: f.potId, c: category }))
        .proposals.totalCount;
    expect(await count('parks')).toBe(3);
    expect(await count('roads')).toBe(0);
  });

  it('gives a fund its time zone: Europe/London unless the administrator names another', async () => {
    const admin = await api.signIn('administrator', 'admin-tz');
    const schedule = {
      proposalsOpenAt: '2030-01-01T09:00:00Z',
      reviewStartsAt: '2030-02-01T09:00:00Z',
      votingOpensAt: '2030-03-01T09:00:00Z',
      votingClosesAt: '2030-03-14T22:00:00Z',
    };
    const create = (extra: object) =>
      api.gql(
        `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { timeZone } } }`,
        { i: { name: 'TZ', description: 'd', schedule, ...extra } },
        admin,
      );
    expect(ok(await create({})).createFund.fund.timeZone).toBe('Europe/London');
    expect(ok(await create({ timeZone: 'Asia/Dhaka' })).createFund.fund.timeZone).toBe('Asia/Dhaka');
    expect((await create({ timeZone: 'Mars/Olympus' })).errors?.[0].extensions.code).toBe('FUND.INVALID_DETAILS');
  });

  it('makes the tie-break by proposal number the default for new pots', async () => {
    const f = await votingFund(api, ['PN-4'], { until: 'draft' });
    const fund = ok(await api.gql(`query($id: ID!) { fund(id: $id) { pots { tieBreak { kind } } } }`, { id: f.fundId })).fund;
    expect(fund.pots[0].tieBreak.kind).toBe('number');
  });

  it('tells a resident in which pots they may vote, and why not where they may not', async () => {
    const f = await votingFund(api, ['EL-OK']);
    const admin = f.admin;
    const young = new Date(Date.now() - 10 * 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    const csv = ['reference,ward,date_of_birth', 'EL-BOW,Bow East,1980-01-01', `EL-YOUNG,Mile End,${young}`].join('\n');
    ok(await api.gql(`mutation($c: String!) { importRegister(csv: $c) { imported } }`, { c: csv }, admin));
    ok(
      await api.gql(
        `mutation($i: RegisterResidentInput!) { registerResident(input: $i) { done } }`,
        { i: { reference: 'EL-NEW', dateOfBirth: '1980-01-01', ward: 'Mile End' } },
        admin,
      ),
    );
    const eligibility = async (reference: string) => {
      const token = await api.signIn('resident', reference);
      const r = ok(await api.gql(`query($f: ID!) { myEligibility(fundId: $f) { potId eligibility eligible } }`, { f: f.fundId }, token));
      return r.myEligibility;
    };
    expect(await eligibility('EL-OK')).toEqual([{ potId: f.potId, eligibility: 'eligible', eligible: true }]);
    expect((await eligibility('EL-BOW'))[0].eligibility).toBe('other_ward');
    expect((await eligibility('EL-YOUNG'))[0].eligibility).toBe('too_young');
    expect((await eligibility('EL-NEW'))[0].eligibility).toBe('not_verified');
    expect((await eligibility('EL-NOBODY'))[0].eligibility).toBe('not_registered');
    // However the reference is typed, the same resident.
    expect((await eligibility('el-ok'))[0].eligibility).toBe('eligible');
  });
});
