import { PHASES, type Phase } from '@civic/domain';
import type { startApi } from './api-client';
import { ok, votingFund, type VotingFund } from './voting-fund';

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

const reached = (phase: Phase, target: Phase) => PHASES.indexOf(phase) >= PHASES.indexOf(target);

/**
 * One fund in each phase of its life, through the real API (`votingFund` up to the vote):
 * three ballots, and past the close: the allocation computed, a line overridden, ratified and
 * published — so the fund in voting_closed holds a published pot allocation, still under the
 * embargo until its fund's ResultsPublished.
 */
export async function fundsInEveryPhase(api: Api): Promise<{ funds: EmbargoFund[]; tokens: EmbargoTokens }> {
  const started: (VotingFund & { phase: Phase })[] = [];
  for (const phase of PHASES) {
    const until = reached(phase, 'voting_open') ? 'voting_open' : (phase as 'draft' | 'proposals_open' | 'review');
    const fund = await votingFund(api, VOTERS, { until });
    if (reached(phase, 'voting_open'))
      for (const [i, reference] of VOTERS.entries())
        await mutate(
          api,
          `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position } }`,
          { f: fund.fundId, p: fund.potId, c: { proposalIds: i === 0 ? fund.proposals.slice(0, 2) : [fund.proposals[i % 2]] } },
          fund.tokens[reference],
        );
    started.push({ ...fund, phase });
  }
  for (const { phase, fundId, potId, admin, councillor } of started) {
    if (!reached(phase, 'voting_closed')) continue;
    const move = (name: string, token = admin) =>
      mutate(api, `mutation($id: ID!) { ${name}(fundId: $id) { fund { phase } } }`, { id: fundId }, token);
    // Closed early once its ballots are in: no deadline to race however slow the set-up.
    await mutate(
      api,
      `mutation($id: ID!) { closeVotingEarly(fundId: $id, reason: "The test's ballots are in") { fund { phase } } }`,
      {
        id: fundId,
      },
      admin,
    );
    const pot = { f: fundId, p: potId };
    const computed = await mutate(
      api,
      `mutation($f: ID!, $p: ID!) { computeAllocation(fundId: $f, potId: $p) { lines { proposalId funded } } }`,
      pot,
      admin,
    );
    const funded: string = computed.computeAllocation.lines.find((l: { funded: boolean }) => l.funded).proposalId;
    await mutate(
      api,
      `mutation($f: ID!, $p: ID!, $x: ID!) { overrideAllocationLine(fundId: $f, potId: $p, proposalId: $x, funded: false, reason: "Site unavailable") { status } }`,
      { ...pot, x: funded },
      councillor,
    );
    for (const step of ['ratifyAllocation', 'publishAllocation'])
      await mutate(api, `mutation($f: ID!, $p: ID!) { ${step}(fundId: $f, potId: $p) { status } }`, pot, councillor);
    if (reached(phase, 'results_published')) await move('publishResults', councillor);
    if (reached(phase, 'delivery')) await move('startDelivery');
    if (reached(phase, 'closed')) await move('closeFund');
  }
  const [first] = started;
  return {
    funds: started.map(({ phase, fundId, potId }) => ({ phase, fundId, potId })),
    tokens: {
      resident: first.tokens[VOTERS[0]],
      reviewer: first.reviewer,
      councillor: first.councillor,
      administrator: first.admin,
      auditor: await api.signIn('auditor', 'auditor-1'),
    },
  };
}

const mutate = (api: Api, query: string, variables: Record<string, unknown>, token: string) => api.gql(query, variables, token).then(ok);
