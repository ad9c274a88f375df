import { PHASES, type Phase } from '@civic/domain';
import type { Gql, startApi } from './api-client';

type Api = Awaited<ReturnType<typeof startApi>>;

export const VOTERS = ['TH-300000', 'TH-300001', 'TH-300002'];

export interface EmbargoFund {
  readonly phase: Phase;
  readonly fundId: string;
  readonly potId: string;
}

export interface EmbargoTokens {
  readonly resident: string;
  readonly reviewer: string;
  readonly councillor: string;
  readonly administrator: string;
  readonly auditor: string;
}

const ok = (r: Gql) => {
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
};

const reached = (phase: Phase, target: Phase) => PHASES.indexOf(phase) >= PHASES.indexOf(target);

/**
 * One fund in each phase of its life, through the real API: two proposals from a resident,
 * accepted by a reviewer, three ballots, and past the close: the allocation computed, a line
 * overridden, ratified and published — so the fund in voting_closed holds a published pot
 * allocation, still under the embargo until its fund's ResultsPublished.
 */
export async function fundsInEveryPhase(api: Api): Promise<{ funds: EmbargoFund[]; tokens: EmbargoTokens }> {
  const admin = await api.signIn('administrator', 'admin-1');
  const reviewer = await api.signIn('reviewer', 'officer-1');
  const councillor = await api.signIn('councillor', 'cllr-1');
  const auditor = await api.signIn('auditor', 'auditor-1');
  const voters = await Promise.all(VOTERS.map((v) => api.signIn('resident', v)));
  const csv = ['reference,ward,date_of_birth', ...VOTERS.map((v) => `${v},Mile End,1990-05-05`)].join('\n');
  ok(await api.gql(`mutation($c: String!) { importRegister(csv: $c) { imported } }`, { c: csv }, admin));

  const now = Date.now();
  const day = 24 * 3600 * 1000;
  // The funds that must close do so a few seconds from now; setting them all up takes less.
  const closesAt = new Date(now + 6000);
  const mutate = (query: string, variables: Record<string, unknown>, token: string) => api.gql(query, variables, token).then(ok);
  const fundMove = (name: string, fundId: string, token = admin) =>
    mutate(`mutation($id: ID!) { ${name}(fundId: $id) { fund { phase } } }`, { id: fundId }, token);

  const started = await Promise.all(
    PHASES.map(async (phase) => {
      const schedule = {
        proposalsOpenAt: new Date(now - 3 * day).toISOString(),
        reviewStartsAt: new Date(now - 2 * day).toISOString(),
        votingOpensAt: new Date(now - day).toISOString(),
        votingClosesAt: (reached(phase, 'voting_closed') ? closesAt : new Date(now + 10 * day)).toISOString(),
      };
      const fundId: string = (
        await mutate(
          `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
          { i: { name: `Fund in ${phase}`, description: 'The embargo walk.', schedule } },
          admin,
        )
      ).createFund.fund.id;
      const potId: string = (
        await mutate(
          `mutation($i: AddPotInput!) { addPot(input: $i) { fund { pots { id } } } }`,
          {
            i: {
              fundId,
              name: 'Mile End',
              ward: 'Mile End',
              budget: '3000000',
              rule: 'greedy_by_votes',
              ballot: { kind: 'approval', minPicks: 1, maxPicks: 2 },
            },
          },
          admin,
        )
      ).addPot.fund.pots[0].id;
      const proposals: string[] = [];
      if (reached(phase, 'proposals_open')) {
        await fundMove('openProposals', fundId);
        for (const [title, cost] of [
          ['Playground', '2000000'],
          ['Benches', '1500000'],
        ]) {
          const input = {
            fundId,
            potId,
            title,
            summary: title,
            description: `${title} for Mile End.`,
            category: 'public space',
            estimatedCost: cost,
          };
          proposals.push(
            (await mutate(`mutation($i: SubmitProposalInput!) { submitProposal(input: $i) { proposal { id } } }`, { i: input }, voters[0]))
              .submitProposal.proposal.id,
          );
        }
      }
      if (reached(phase, 'review')) {
        await fundMove('startReview', fundId);
        for (const [i, id] of proposals.entries())
          await mutate(
            `mutation($id: ID!, $c: Pence!) { acceptProposal(proposalId: $id, officialCost: $c) { proposal { status } } }`,
            { id, c: i === 0 ? '2000000' : '1500000' },
            reviewer,
          );
      }
      if (reached(phase, 'voting_open')) {
        await fundMove('openVoting', fundId);
        for (const [i, token] of voters.entries())
          await mutate(
            `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position } }`,
            { f: fundId, p: potId, c: { proposalIds: i === 0 ? proposals : [proposals[i % 2]] } },
            token,
          );
      }
      return { phase, fundId, potId, proposals };
    }),
  );

  await new Promise((resolve) => setTimeout(resolve, Math.max(0, closesAt.getTime() - Date.now() + 100)));
  for (const { phase, fundId, potId } of started) {
    if (!reached(phase, 'voting_closed')) continue;
    await fundMove('closeVoting', fundId);
    const pot = { f: fundId, p: potId };
    const computed = await mutate(
      `mutation($f: ID!, $p: ID!) { computeAllocation(fundId: $f, potId: $p) { lines { proposalId funded } } }`,
      pot,
      admin,
    );
    const funded: string = computed.computeAllocation.lines.find((l: { funded: boolean }) => l.funded).proposalId;
    await mutate(
      `mutation($f: ID!, $p: ID!, $x: ID!) { overrideAllocationLine(fundId: $f, potId: $p, proposalId: $x, funded: false, reason: "Site unavailable") { status } }`,
      { ...pot, x: funded },
      councillor,
    );
    for (const step of ['ratifyAllocation', 'publishAllocation'])
      await mutate(`mutation($f: ID!, $p: ID!) { ${step}(fundId: $f, potId: $p) { status } }`, pot, councillor);
    if (reached(phase, 'results_published')) await fundMove('publishResults', fundId, councillor);
    if (reached(phase, 'delivery')) await fundMove('startDelivery', fundId);
    if (reached(phase, 'closed')) await fundMove('closeFund', fundId);
  }
  return {
    funds: started.map(({ phase, fundId, potId }) => ({ phase, fundId, potId })),
    tokens: { resident: voters[0], reviewer, councillor, administrator: admin, auditor },
  };
}
