import { startApi } from './support/api-client';
import { ok } from './support/voting-fund';

/** The borough's wards, configured once: pots are for those wards only. */
describe('wards over the API', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.stop());

  it('configures the wards from a list, then refuses a pot for any other ward and spells the ward as the borough does', async () => {
    const admin = await api.signIn('administrator', 'admin-w');
    expect(ok(await api.gql(`{ wards }`)).wards).toEqual([]);
    const configured = ok(
      await api.gql(`mutation($w: [String!]!) { configureWards(wards: $w) { wards } }`, { w: ['Bow East', 'Bow West', 'Mile End'] }, admin),
    );
    expect(configured.configureWards.wards).toEqual(['Bow East', 'Bow West', 'Mile End']);
    expect(ok(await api.gql(`{ wards }`)).wards).toEqual(['Bow East', 'Bow West', 'Mile End']);
    const schedule = {
      proposalsOpenAt: '2030-01-01T09:00:00Z',
      reviewStartsAt: '2030-02-01T09:00:00Z',
      votingOpensAt: '2030-03-01T09:00:00Z',
      votingClosesAt: '2030-03-14T22:00:00Z',
    };
    const fundId = ok(
      await api.gql(
        `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
        { i: { name: 'W', description: 'd', schedule } },
        admin,
      ),
    ).createFund.fund.id;
    const addPot = (ward: string) =>
      api.gql(
        `mutation($i: AddPotInput!) { addPot(input: $i) { fund { pots { ward } } } }`,
        { i: { fundId, name: ward, ward, budget: '100000', rule: 'greedy_by_votes', ballot: { kind: 'knapsack' } } },
        admin,
      );
    expect((await addPot('Atlantis')).errors?.[0].extensions.code).toBe('FUND.UNKNOWN_WARD');
    expect(ok(await addPot('bow  west')).addPot.fund.pots.map((p: { ward: string }) => p.ward)).toEqual(['Bow West']);
  });
});
