import { openSchedule, type Gql, type startApi } from './api-client';

const DAY = 24 * 3600 * 1000;

type Api = Awaited<ReturnType<typeof startApi>>;

/** The data of a response that must have succeeded. */
export const ok = (r: Gql) => {
  expect(r.errors).toBeUndefined();
  return r.data;
};

export interface VotingFund {
  readonly admin: string;
  readonly reviewer: string;
  readonly councillor: string;
  readonly fundId: string;
  readonly potId: string;
  /** Accepted proposals of the pot, each costing £10,000. */
  readonly proposals: string[];
  /** A resident's token by reference; each is on the register in the pot's ward. */
  readonly tokens: Record<string, string>;
  readonly closesAt: Date;
}

export type Phase = 'draft' | 'proposals_open' | 'review' | 'voting_open';

/**
 * A fund whose one ward pot (£50,000, greedy; approval, 1 to 2 picks, unless `ballot` says otherwise) is open for voting, with
 * three accepted proposals and the given residents on the register; or the same fund stopped
 * at an earlier phase (`until`): in draft with its pot, or with the three proposals submitted.
 * `publication`: the fund's choice of linked or unlinked ballots, made first thing.
 */
export async function votingFund(
  api: Api,
  residents: readonly string[],
  {
    closesInMs = 10 * DAY,
    until = 'voting_open',
    ballot = { kind: 'approval', minPicks: 1, maxPicks: 2 },
    emails,
    publication,
  }: {
    closesInMs?: number;
    until?: Phase;
    ballot?: Record<string, unknown>;
    /** E-mail addresses on the register, by reference (with a name and an address for each resident). */
    emails?: Readonly<Record<string, string>>;
    publication?: 'linked' | 'unlinked';
  } = {},
): Promise<VotingFund> {
  const [admin, reviewer, councillor] = await Promise.all([
    api.signIn('administrator', 'admin-1'),
    api.signIn('reviewer', 'officer-1'),
    api.signIn('councillor', 'cllr-1'),
  ]);
  const tokens: Record<string, string> = {};
  for (const r of residents) tokens[r] = await api.signIn('resident', r);
  const csv = emails
    ? ['reference,ward,date_of_birth,name,address,email', ...residents.map((r) => `${r},Mile End,1980-01-01,${r},1 High St,${emails[r]}`)]
    : ['reference,ward,date_of_birth', ...residents.map((r) => `${r},Mile End,1980-01-01`)];
  ok(await api.gql(`mutation($c: String!) { importRegister(csv: $c) { imported } }`, { c: csv.join('\n') }, admin));
  const schedule = openSchedule(closesInMs / DAY);
  const closesAt = new Date(schedule.votingClosesAt);
  const fundId = ok(
    await api.gql(
      `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
      { i: { name: 'Mile End Fund', description: 'For Mile End.', schedule } },
      admin,
    ),
  ).createFund.fund.id as string;
  if (publication)
    ok(
      await api.gql(
        `mutation($f: ID!, $p: BallotPublication!) { chooseBallotPublication(fundId: $f, publication: $p) { position } }`,
        { f: fundId, p: publication },
        admin,
      ),
    );
  const pot = {
    fundId,
    name: 'Mile End',
    ward: 'Mile End',
    budget: '5000000',
    rule: 'greedy_by_votes',
    ballot,
  };
  const potId = ok(await api.gql(`mutation($i: AddPotInput!) { addPot(input: $i) { fund { pots { id } } } }`, { i: pot }, admin)).addPot
    .fund.pots[0].id as string;
  const phase = (step: string) => api.gql(`mutation($id: ID!) { ${step}(fundId: $id) { fund { phase } } }`, { id: fundId }, admin).then(ok);
  const done = () => ({ admin, reviewer, councillor, fundId, potId, proposals, tokens, closesAt });
  const proposals: string[] = [];
  if (until === 'draft') return done();
  await phase('openProposals');
  for (const title of ['Playground', 'Benches', 'Murals']) {
    const input = {
      fundId,
      potId,
      title,
      summary: title,
      description: `${title} for Mile End.`,
      category: 'parks',
      estimatedCost: '1000000',
    };
    const submitted = await api.gql(
      `mutation($i: SubmitProposalInput!) { submitProposal(input: $i) { proposal { id } } }`,
      { i: input },
      tokens[residents[0]],
    );
    proposals.push(ok(submitted).submitProposal.proposal.id);
  }
  if (until === 'proposals_open') return done();
  await phase('startReview');
  if (until === 'review') return done();
  for (const id of proposals)
    ok(await api.gql(`mutation($id: ID!) { acceptProposal(proposalId: $id, officialCost: "1000000") { position } }`, { id }, reviewer));
  await phase('openVoting');
  return done();
}
