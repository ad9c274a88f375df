import { openSchedule, type startApi } from './api-client';
import { ok } from './voting-fund';

type Api = Awaited<ReturnType<typeof startApi>>;

/** A small, fixed PRNG (mulberry32): the same seed gives the same ballots on every run and machine. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** Proposals by title, with costs chosen so that some tie and equal shares differs from greedy. */
const PROJECTS: [string, number][] = [
  ['Playground', 20_000_00],
  ['Benches', 5_000_00],
  ['Murals', 5_000_00],
  ['Tree planting', 12_000_00],
  ['Street lights', 12_000_00],
  ['Youth club', 18_000_00],
  ['Food bank fridge', 3_000_00],
];

/**
 * One election, run through the HTTP API from scratch: a cumulative and an approval pot, 60
 * voters whose ballots come from a fixed seed, closed, allocated, ratified, published. Returns
 * each pot's results with every id replaced by the proposal's title, so two runs whose ids
 * differ compare line by line.
 */
export async function runIdenticalElection(api: Api): Promise<Record<string, unknown>> {
  const admin = await api.signIn('administrator', 'admin-same');
  const reviewer = await api.signIn('reviewer', 'officer-same');
  const councillor = await api.signIn('councillor', 'cllr-same');
  const voters = Array.from({ length: 60 }, (_, i) => `SAME-${String(i).padStart(3, '0')}`);
  ok(
    await api.gql(
      `mutation($c: String!) { importRegister(csv: $c) { imported } }`,
      { c: ['reference,ward,date_of_birth', ...voters.map((v) => `${v},Mile End,1985-03-03`)].join('\n') },
      admin,
    ),
  );
  const schedule = openSchedule(1);
  const fundId = ok(
    await api.gql(
      `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
      { i: { name: 'Same Fund', description: 'd', schedule } },
      admin,
    ),
  ).createFund.fund.id;
  const addPot = async (pot: object) =>
    ok(await api.gql(`mutation($i: AddPotInput!) { addPot(input: $i) { fund { pots { id name } } } }`, { i: { fundId, ...pot } }, admin));
  await addPot({
    name: 'Mile End',
    ward: 'Mile End',
    budget: '4000000',
    rule: 'equal_shares_with_completion',
    ballot: { kind: 'cumulative', points: 10 },
  });
  const pots = (
    await addPot({
      name: 'Borough-wide',
      budget: '3000000',
      rule: 'greedy_by_votes',
      ballot: { kind: 'approval', minPicks: 1, maxPicks: 3 },
    })
  ).addPot.fund.pots as { id: string; name: string }[];
  const phase = async (step: string) =>
    ok(await api.gql(`mutation($id: ID!) { ${step}(fundId: $id) { position } }`, { id: fundId }, admin));
  await phase('openProposals');
  const author = await api.signIn('resident', voters[0]);
  const titleOf = new Map<string, string>();
  const idsOf = new Map<string, Map<string, string>>();
  for (const pot of pots) {
    idsOf.set(pot.id, new Map());
    for (const [title, cost] of PROJECTS) {
      const input = { fundId, potId: pot.id, title, summary: title, description: title, category: 'parks', estimatedCost: String(cost) };
      const id = ok(
        await api.gql(`mutation($i: SubmitProposalInput!) { submitProposal(input: $i) { proposal { id } } }`, { i: input }, author),
      ).submitProposal.proposal.id;
      titleOf.set(id, title);
      idsOf.get(pot.id)!.set(title, id);
    }
  }
  await phase('startReview');
  for (const pot of pots)
    for (const [title, cost] of PROJECTS)
      ok(
        await api.gql(
          `mutation($id: ID!, $c: Pence!) { acceptProposal(proposalId: $id, officialCost: $c) { position } }`,
          { id: idsOf.get(pot.id)!.get(title), c: String(cost) },
          reviewer,
        ),
      );
  await phase('openVoting');
  const random = prng(20261202);
  for (const voter of voters) {
    const token = await api.signIn('resident', voter);
    for (const pot of pots) {
      const ids = PROJECTS.map(([title]) => idsOf.get(pot.id)!.get(title)!);
      const shuffled = [...ids].sort(() => random() - 0.5);
      const content =
        pot.name === 'Mile End'
          ? {
              points: [
                { proposalId: shuffled[0], points: 1 + Math.floor(random() * 6) },
                { proposalId: shuffled[1], points: 1 + Math.floor(random() * 3) },
              ],
            }
          : { proposalIds: shuffled.slice(0, 1 + Math.floor(random() * 3)) };
      ok(
        await api.gql(
          `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position } }`,
          { f: fundId, p: pot.id, c: content },
          token,
        ),
      );
    }
  }
  ok(await api.gql(`mutation($id: ID!) { closeVotingEarly(fundId: $id, reason: "Rehearsal") { position } }`, { id: fundId }, admin));
  const results: Record<string, unknown> = {};
  for (const pot of pots) {
    ok(
      await api.gql(`mutation($f: ID!, $p: ID!) { computeAllocation(fundId: $f, potId: $p) { status } }`, { f: fundId, p: pot.id }, admin),
    );
    for (const step of ['ratifyAllocation', 'publishAllocation'])
      ok(await api.gql(`mutation($f: ID!, $p: ID!) { ${step}(fundId: $f, potId: $p) { status } }`, { f: fundId, p: pot.id }, councillor));
  }
  ok(await api.gql(`mutation($id: ID!) { publishResults(fundId: $id) { position } }`, { id: fundId }, councillor));
  for (const pot of pots) {
    const r = ok(
      await api.gql(
        `query($p: ID!) { results(potId: $p) { rule ruleVersion ballotCount totalCost budget lines { proposalId funded amount reason explanation { supporters mes { outcome round priceFactor payments { voters allTheyHad paidEach total } exhaustedBy supportersMoney effectiveSupport overlaps { proposalId shared } } greedy { outcome rank remainingBefore } } } } }`,
        { p: pot.id },
      ),
    ).results;
    // Ids differ between runs: name every proposal by its title, wherever an id appears.
    const named = JSON.parse(JSON.stringify(r), (_, v) => (typeof v === 'string' && titleOf.has(v) ? titleOf.get(v) : v));
    named.lines.sort((a: { proposalId: string }, b: { proposalId: string }) => (a.proposalId < b.proposalId ? -1 : 1));
    results[pot.name] = named;
  }
  return results;
}
