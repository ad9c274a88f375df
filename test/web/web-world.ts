import { type Gql, type startApi } from '../support/api-client';

/** What the world needs of a running API: its GraphQL endpoint and the development sign-in. */
type Api = Pick<Awaited<ReturnType<typeof startApi>>, 'gql' | 'signIn'>;

const DAY = 86_400_000;
const ok = (r: Gql) => {
  if (r.errors) throw new Error(`GraphQL refused: ${JSON.stringify(r.errors)}`);
  return r.data;
};

export interface WebWorld {
  readonly admin: string;
  readonly reviewer: string;
  /** Residents of Mile End on the register, free to sign in and vote. */
  readonly residents: string[];
  /** Open for proposals: a borough-wide pot and a Mile End pot. */
  readonly proposing: { fundId: string; boroughPot: string; wardPot: string };
  /** Open for voting: a borough-wide knapsack pot (£50,000) and a Mile End approval pot (at most 2). */
  readonly voting: {
    fundId: string;
    knapsackPot: string;
    approvalPot: string;
    knapsack: Record<string, string>;
    approval: Record<string, string>;
  };
  /** Open for voting: a Mile End cumulative pot (10 points). */
  readonly points: { fundId: string; pot: string; proposals: Record<string, string> };
  /** Results published and delivery started: a Mile End approval pot, greedy by votes. */
  readonly published: { fundId: string; pot: string; proposals: Record<string, string> };
  /** The same fund's Method of Equal Shares pot (with completion), published. */
  readonly shares: { fundId: string; pot: string; proposals: Record<string, string> };
  /** A fund of another ward, open for voting (for a forged other-pot post). */
  readonly other: { fundId: string; pot: string; proposals: Record<string, string> };
}

/** A resident's proposal in a pot, through the API (the residents' pages have journeys of their own). */
export const proposeAs = async (api: Api, token: string, fundId: string, potId: string, title: string, cost: string) =>
  ok(
    await api.gql(
      `mutation($i: SubmitProposalInput!) { submitProposal(input: $i) { proposal { id } } }`,
      {
        i: {
          fundId,
          potId,
          title,
          summary: `${title}, for everyone.`,
          description: `${title}: what it is and who it helps.`,
          category: 'parks',
          estimatedCost: cost,
        },
      },
      token,
    ),
  ).submitProposal.proposal.id as string;

/**
 * The world the web tests need, set up through the API as staff would: residents in Mile End,
 * one fund open for proposals, two open for voting (all three ballot types), one published.
 */
export async function buildWebWorld(api: Api, residentCount = 12): Promise<WebWorld> {
  const [admin, reviewer, councillor] = await Promise.all([
    api.signIn('administrator', 'admin-w'),
    api.signIn('reviewer', 'officer-w'),
    api.signIn('councillor', 'cllr-w'),
  ]);
  const residents = Array.from({ length: residentCount }, (_, i) => `TH-8${String(i + 1).padStart(5, '0')}`);
  const csv = ['reference,ward,date_of_birth', ...residents.map((r) => `${r},Mile End,1985-03-03`), 'TH-899999,Mile End,2019-01-01'];
  ok(await api.gql(`mutation($c: String!) { importRegister(csv: $c) { imported } }`, { c: csv.join('\n') }, admin));
  const tokens = await Promise.all(residents.map((r) => api.signIn('resident', r)));

  const fund = async (name: string, schedule: Record<string, string>) =>
    ok(
      await api.gql(
        `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
        { i: { name, description: `${name}: a fund for the web tests.`, schedule } },
        admin,
      ),
    ).createFund.fund.id as string;
  const pot = async (
    fundId: string,
    name: string,
    ward: string | null,
    budget: string,
    ballot: Record<string, unknown>,
    rule = 'greedy_by_votes',
  ) => {
    const pots = ok(
      await api.gql(
        `mutation($i: AddPotInput!) { addPot(input: $i) { fund { pots { id name } } } }`,
        { i: { fundId, name, ward, budget, rule, ballot } },
        admin,
      ),
    ).addPot.fund.pots as { id: string; name: string }[];
    return pots.find((p) => p.name === name)!.id;
  };
  const phase = (fundId: string, step: string) =>
    api.gql(`mutation($id: ID!) { ${step}(fundId: $id) { fund { phase } } }`, { id: fundId }, admin).then(ok);
  const propose = (fundId: string, potId: string, title: string, cost: string) => proposeAs(api, tokens[0], fundId, potId, title, cost);
  const accept = (id: string, cost: string) =>
    api
      .gql(
        `mutation($id: ID!, $c: Pence!) { acceptProposal(proposalId: $id, officialCost: $c) { proposal { status } } }`,
        { id, c: cost },
        reviewer,
      )
      .then(ok);
  /** A fund taken to voting, with its pots' proposals accepted at their cost. */
  const votingFund = async (
    name: string,
    closesAt: Date,
    pots: {
      name: string;
      ward: string | null;
      budget: string;
      ballot: Record<string, unknown>;
      proposals: Record<string, string>;
      rule?: string;
    }[],
  ) => {
    const now = Date.now();
    const fundId = await fund(name, {
      proposalsOpenAt: new Date(now - 30 * DAY).toISOString(),
      reviewStartsAt: new Date(now - 20 * DAY).toISOString(),
      votingOpensAt: new Date(now - 10 * DAY).toISOString(),
      votingClosesAt: closesAt.toISOString(),
    });
    const ids = [];
    for (const p of pots) ids.push(await pot(fundId, p.name, p.ward, p.budget, p.ballot, p.rule));
    await phase(fundId, 'openProposals');
    const proposals: Record<string, string>[] = [];
    for (const [i, p] of pots.entries()) {
      const mine: Record<string, string> = {};
      for (const [title, cost] of Object.entries(p.proposals)) mine[title] = await propose(fundId, ids[i], title, cost);
      proposals.push(mine);
    }
    await phase(fundId, 'startReview');
    for (const [i, p] of pots.entries()) for (const [title, cost] of Object.entries(p.proposals)) await accept(proposals[i][title], cost);
    await phase(fundId, 'openVoting');
    return { fundId, pots: ids, proposals };
  };

  // The published fund first: open for voting like the others, closed early once its ballots are in
  // (no deadline to race on a busy machine).
  const closesSoon = new Date(Date.now() + 10 * DAY);
  const pub = await votingFund('Mile End Fund 2025', closesSoon, [
    {
      name: 'Mile End 2025',
      ward: 'Mile End',
      budget: '3000000',
      ballot: { kind: 'approval', minPicks: 1, maxPicks: 2 },
      proposals: { 'Community garden': '2000000', 'Street lights': '1500000', 'Bike racks': '500000' },
    },
    {
      name: 'Whole borough 2025',
      ward: null,
      budget: '3000000',
      ballot: { kind: 'approval', minPicks: 1, maxPicks: 2 },
      rule: 'equal_shares_with_completion',
      proposals: { 'Pond clean-up': '1800000', 'Youth cafe': '1500000', 'Tree planting': '600000' },
    },
  ]);
  const cast = (token: string, fundId: string, potId: string, content: Record<string, unknown>) =>
    api
      .gql(
        `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position } }`,
        { f: fundId, p: potId, c: content },
        token,
      )
      .then(ok);
  const pp = pub.proposals[0];
  for (const [i, t] of tokens.slice(0, 6).entries()) {
    await cast(t, pub.fundId, pub.pots[0], { proposalIds: i < 4 ? [pp['Community garden']] : [pp['Street lights'], pp['Bike racks']] });
  }
  const ps = pub.proposals[1];
  for (const [i, t] of tokens.slice(0, 6).entries()) {
    await cast(t, pub.fundId, pub.pots[1], {
      proposalIds:
        i < 2 ? [ps['Pond clean-up'], ps['Tree planting']] : i < 4 ? [ps['Pond clean-up'], ps['Youth cafe']] : [ps['Youth cafe']],
    });
  }

  const later = new Date(Date.now() + 10 * DAY);
  const voting = await votingFund('Borough Fund 2026', later, [
    {
      name: 'Whole borough',
      ward: null,
      budget: '5000000',
      ballot: { kind: 'knapsack' },
      proposals: {
        'Library late opening': '2000000',
        'Youth football league': '2500000',
        'Clean air monitors': '1500000',
        'Murals on the canal': '1000000',
      },
    },
    {
      name: 'Mile End',
      ward: 'Mile End',
      budget: '3000000',
      ballot: { kind: 'approval', minPicks: 1, maxPicks: 2 },
      proposals: { 'Play street': '1000000', 'Bench by the pond': '300000', 'Bulb planting': '200000' },
    },
  ]);
  const points = await votingFund('Mile End Youth Fund 2026', later, [
    {
      name: 'Mile End youth',
      ward: 'Mile End',
      budget: '2000000',
      ballot: { kind: 'cumulative', points: 10 },
      proposals: { 'Homework club': '800000', 'Skate ramp': '1200000', 'Music studio': '900000' },
    },
  ]);
  const other = await votingFund('Bow Fund 2026', later, [
    {
      name: 'Bow East',
      ward: 'Bow East',
      budget: '2000000',
      ballot: { kind: 'approval', minPicks: 1, maxPicks: 1 },
      proposals: { 'Bow bandstand': '1000000' },
    },
  ]);
  const now = Date.now();
  const proposingFund = await fund('Borough Fund 2027', {
    proposalsOpenAt: new Date(now - DAY).toISOString(),
    reviewStartsAt: new Date(now + 20 * DAY).toISOString(),
    votingOpensAt: new Date(now + 30 * DAY).toISOString(),
    votingClosesAt: new Date(now + 44 * DAY).toISOString(),
  });
  const boroughPot = await pot(proposingFund, 'Whole borough 2027', null, '10000000', { kind: 'approval', minPicks: 1, maxPicks: 3 });
  const wardPot = await pot(proposingFund, 'Mile End 2027', 'Mile End', '2000000', { kind: 'approval', minPicks: 1, maxPicks: 3 });
  await phase(proposingFund, 'openProposals');

  // Close, count, ratify and publish the 2025 fund; start its delivery.
  ok(
    await api.gql(
      `mutation($f: ID!) { closeVotingEarly(fundId: $f, reason: "All ballots of the test are in") { fund { phase } } }`,
      { f: pub.fundId },
      admin,
    ),
  );
  for (const potId of pub.pots) {
    const potArgs = { f: pub.fundId, p: potId };
    ok(await api.gql(`mutation($f: ID!, $p: ID!) { computeAllocation(fundId: $f, potId: $p) { status } }`, potArgs, admin));
    ok(await api.gql(`mutation($f: ID!, $p: ID!) { ratifyAllocation(fundId: $f, potId: $p) { status } }`, potArgs, councillor));
    ok(await api.gql(`mutation($f: ID!, $p: ID!) { publishAllocation(fundId: $f, potId: $p) { status } }`, potArgs, councillor));
  }
  ok(await api.gql(`mutation($id: ID!) { publishResults(fundId: $id) { fund { phase } } }`, { id: pub.fundId }, councillor));
  await phase(pub.fundId, 'startDelivery');
  ok(
    await api.gql(
      `mutation($f: ID!, $p: ID!) { reportMilestone(fundId: $f, proposalId: $p, title: "Contractor appointed", status: "done") { milestones { title } } }`,
      { f: pub.fundId, p: pp['Community garden'] },
      admin,
    ),
  );
  ok(
    await api.gql(
      `mutation($f: ID!, $p: ID!) { reportSpend(fundId: $f, proposalId: $p, amount: "750000", description: "Deposit", spentOn: "2026-03-01") { totalSpent } }`,
      { f: pub.fundId, p: pp['Community garden'] },
      admin,
    ),
  );

  return {
    admin,
    reviewer,
    residents,
    proposing: { fundId: proposingFund, boroughPot, wardPot },
    voting: {
      fundId: voting.fundId,
      knapsackPot: voting.pots[0],
      approvalPot: voting.pots[1],
      knapsack: voting.proposals[0],
      approval: voting.proposals[1],
    },
    points: { fundId: points.fundId, pot: points.pots[0], proposals: points.proposals[0] },
    published: { fundId: pub.fundId, pot: pub.pots[0], proposals: pp },
    shares: { fundId: pub.fundId, pot: pub.pots[1], proposals: ps },
    other: { fundId: other.fundId, pot: other.pots[0], proposals: other.proposals[0] },
  };
}
