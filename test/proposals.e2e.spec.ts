import { openSchedule, startApi } from './support/api-client';

let api: Awaited<ReturnType<typeof startApi>>;
let admin: string;
let reviewer: string;
let alice: string;
let bob: string;
let fundId: string;
let boroughPot: string;
let bowPot: string;

beforeAll(async () => {
  api = await startApi();
  admin = await api.signIn('administrator', 'admin-1');
  reviewer = await api.signIn('reviewer', 'officer-7');
  alice = await api.signIn('resident', 'TH-000123');
  bob = await api.signIn('resident', 'TH-000456');
  // Proposing needs a resident on the register.
  const register = ['reference,ward,date_of_birth', 'TH-000123,Bow East,1980-01-01', 'TH-000456,Mile End,1985-01-01'].join('\n');
  expect(
    (await api.gql(`mutation($c: String!) { importRegister(csv: $c) { imported } }`, { c: register }, admin)).data.importRegister.imported,
  ).toBe(2);
  const created = await api.gql(
    `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
    {
      i: { name: 'Fund', description: 'A fund.', schedule: openSchedule() },
    },
    admin,
  );
  fundId = created.data.createFund.fund.id;
  const addPot = async (name: string, ward?: string) =>
    (
      await api.gql(
        `mutation($i: AddPotInput!) { addPot(input: $i) { fund { pots { id name } } } }`,
        {
          i: { fundId, name, ward, budget: '10000000', rule: 'greedy_by_votes', ballot: { kind: 'approval', minPicks: 1, maxPicks: 3 } },
        },
        admin,
      )
    ).data.addPot.fund.pots.find((p: { name: string }) => p.name === name).id as string;
  boroughPot = await addPot('Borough-wide');
  bowPot = await addPot('Bow East', 'Bow East');
  await api.gql(`mutation($id: ID!) { openProposals(fundId: $id) { fund { phase } } }`, { id: fundId }, admin);
});

afterAll(() => api.stop());

const SUBMIT = `mutation($i: SubmitProposalInput!) { submitProposal(input: $i) { position proposal { id title status estimatedCost ward mine revision } } }`;
const submit = (token: string, title: string, potId: string, extra: Record<string, unknown> = {}) =>
  api.gql(
    SUBMIT,
    {
      i: {
        fundId,
        potId,
        title,
        summary: `${title} summary`,
        description: `About ${title}.`,
        category: 'parks',
        estimatedCost: '2500000',
        ...extra,
      },
    },
    token,
  );

describe('proposals over GraphQL', () => {
  it('lets a resident submit, see it as theirs, and others see it as not theirs', async () => {
    const { data, errors } = await submit(alice, 'Community garden at Mile End', bowPot);
    expect(errors).toBeUndefined();
    expect(data.submitProposal.proposal).toMatchObject({
      title: 'Community garden at Mile End',
      status: 'submitted',
      estimatedCost: '2500000',
      ward: 'Bow East',
      mine: true,
      revision: 0,
    });
    const id = data.submitProposal.proposal.id;
    const asBob = await api.gql(`query($id: ID!) { proposal(id: $id) { mine } }`, { id }, bob);
    expect(asBob.data.proposal.mine).toBe(false);
  });

  it('finds proposals by pot, ward, status and words (accents ignored), a page at a time', async () => {
    await submit(bob, 'Café for the elderly', boroughPot);
    await submit(bob, 'Bike lanes on Roman Road', bowPot);
    await submit(alice, 'Football pitch lighting', boroughPot);
    const page = (vars: Record<string, unknown>) =>
      api.gql(
        `query($f: ID, $p: ID, $w: String, $s: String, $first: Int!, $after: String) {
        proposals(fundId: $f, potId: $p, ward: $w, search: $s, first: $first, after: $after) { totalCount edges { cursor node { title } } pageInfo { hasNextPage endCursor } } }`,
        { f: fundId, first: 20, ...vars },
      );
    expect((await page({ w: 'Bow East' })).data.proposals.edges.map((e: any) => e.node.title)).toEqual([
      'Community garden at Mile End',
      'Bike lanes on Roman Road',
    ]);
    expect((await page({ s: 'cafe elderly' })).data.proposals.edges.map((e: any) => e.node.title)).toEqual(['Café for the elderly']);
    expect((await page({ s: 'garden" OR title:*' })).data.proposals.totalCount).toBe(0);
    const first = await page({ first: 2 });
    expect(first.data.proposals).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: true } });
    const second = await page({ first: 2, after: first.data.proposals.pageInfo.endCursor });
    expect(second.data.proposals.edges.map((e: any) => e.node.title)).toEqual([
      'Café for the elderly'.replace('Café for the elderly', 'Bike lanes on Roman Road'),
      'Football pitch lighting',
    ]);
    expect(second.data.proposals.pageInfo.hasNextPage).toBe(false);
    expect((await page({ first: 1000 })).errors?.[0].extensions.code).toBe('INPUT.INVALID');
    expect((await page({ after: 'bogus' })).errors?.[0].extensions.code).toBe('INPUT.INVALID');
  });

  it('lets only the author edit before review, refusing a stale revision', async () => {
    const id = (await submit(alice, 'Street trees', bowPot)).data.submitProposal.proposal.id;
    const edit = (token: string, rev?: number) =>
      api.gql(
        `mutation($id: ID!, $c: EditProposalInput!, $r: Int) { editProposal(proposalId: $id, changes: $c, expectedRevision: $r) { proposal { title revision } } }`,
        { id, c: { title: 'Street trees on Bow Road' }, r: rev },
        token,
      );
    expect((await edit(bob)).errors?.[0].extensions.code).toBe('AUTH.FORBIDDEN');
    expect((await edit(alice, 0)).data.editProposal.proposal).toEqual({ title: 'Street trees on Bow Road', revision: 1 });
    expect((await edit(alice, 0)).errors?.[0].extensions.code).toBe('EDIT.STALE_REVISION');
    const history = await api.gql(`query($id: ID!) { proposal(id: $id) { history { type actorRole revision } } }`, { id });
    expect(history.data.proposal.history).toEqual([
      { type: 'ProposalSubmitted', actorRole: 'resident', revision: 0 },
      { type: 'ProposalEdited', actorRole: 'resident', revision: 1 },
    ]);
  });

  it('lets staff review: accept with an official cost, reject with a reason, merge duplicates', async () => {
    await api.gql(`mutation($id: ID!) { startReview(fundId: $id) { fund { phase } } }`, { id: fundId }, admin);
    const all = (
      await api.gql(`query($f: ID) { proposals(fundId: $f, first: 50) { edges { node { id title } } } }`, { f: fundId })
    ).data.proposals.edges.map((e: any) => e.node);
    const byTitle = (t: string) => all.find((p: any) => p.title === t).id;
    const accept = await api.gql(
      `mutation($id: ID!) { acceptProposal(proposalId: $id, officialCost: "2300000") { proposal { status officialCost } } }`,
      { id: byTitle('Community garden at Mile End') },
      reviewer,
    );
    expect(accept.data.acceptProposal.proposal).toEqual({ status: 'accepted', officialCost: '2300000' });
    const asResident = await api.gql(
      `mutation($id: ID!) { acceptProposal(proposalId: $id, officialCost: "1") { proposal { status } } }`,
      { id: byTitle('Street trees on Bow Road') },
      alice,
    );
    expect(asResident.errors?.[0].extensions.code).toBe('AUTH.FORBIDDEN');
    const reject = await api.gql(
      `mutation($id: ID!) { rejectProposal(proposalId: $id, reason: "Not on council land") { proposal { status rejectReason } } }`,
      { id: byTitle('Football pitch lighting') },
      reviewer,
    );
    expect(reject.data.rejectProposal.proposal).toEqual({ status: 'rejected', rejectReason: 'Not on council land' });
    const merge = await api.gql(
      `mutation($s: ID!, $d: [ID!]!) { mergeProposals(survivorId: $s, duplicateIds: $d) { proposal { id } } }`,
      { s: byTitle('Bike lanes on Roman Road'), d: [byTitle('Street trees on Bow Road')] },
      reviewer,
    );
    expect(merge.errors).toBeUndefined();
    const dup = await api.gql(`query($id: ID!) { proposal(id: $id) { status mergedInto } }`, { id: byTitle('Street trees on Bow Road') });
    expect(dup.data.proposal).toEqual({ status: 'merged', mergedInto: byTitle('Bike lanes on Roman Road') });
    expect((await submit(alice, 'Too late', bowPot)).errors?.[0].extensions.code).toBe('PROPOSAL.SUBMISSIONS_CLOSED');
  });
});
