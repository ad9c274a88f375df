import type { AllocationData, PotData, ProposalSummary } from '../graphql/operations';
import type { PageContext } from '../web-app';

export interface ResultRow {
  id: string;
  title: string;
  votes: number;
  cost: number;
  funded: boolean;
  rank: number;
  why: string;
}

/**
 * Each proposal's result and why, in words, from what the API publishes today (the lines, the
 * tally, the costs): for greedy-by-votes the walk down the ranking with the money left at each
 * turn; for Equal Shares what each supporter's share could pay. The structured explanation the
 * API will record (round, price, payments, who exhausted whose money) replaces the second.
 */
export function explainResults(
  ctx: PageContext,
  pot: PotData,
  results: AllocationData,
  tally: { ballots: number; lines: { proposalId: string; supporters: number; points: number }[] },
  proposals: readonly ProposalSummary[],
): ResultRow[] {
  const votesOf = new Map(tally.lines.map((l) => [l.proposalId, pot.ballot.kind === 'cumulative' ? l.points : l.supporters]));
  const byId = new Map(proposals.map((p) => [p.id, p]));
  const budget = Number(results.budget ?? pot.budget);
  const rows = results.lines.map((line) => {
    const p = byId.get(line.proposalId);
    const cost = Number(p?.officialCost ?? line.amount ?? p?.estimatedCost ?? 0);
    return {
      id: line.proposalId,
      title: p?.title ?? '',
      votes: votesOf.get(line.proposalId) ?? 0,
      cost,
      funded: line.funded,
      amount: Number(line.amount),
      rank: 0,
      why: '',
    };
  });
  const ranked = [...rows].sort((a, b) => b.votes - a.votes || (a.funded === b.funded ? 0 : a.funded ? -1 : 1));
  ranked.forEach((r, i) => (r.rank = i + 1));
  let left = budget;
  const share = tally.ballots > 0 ? budget / tally.ballots : 0;
  for (const r of ranked) {
    const params = {
      votes: ctx.f.number(r.votes),
      rank: ctx.f.number(r.rank),
      count: ctx.f.number(ranked.length),
      cost: ctx.f.money(r.cost),
      left: ctx.f.money(Math.max(0, left)),
      share: ctx.f.money(Math.floor(share)),
      voters: ctx.f.number(tally.ballots),
    };
    const rule = results.rule?.startsWith('equal_shares') || pot.rule === 'equal_shares_with_completion' ? 'equalShares' : 'greedy';
    if (r.votes === 0) r.why = ctx.t('results.why.noVotes', params);
    else r.why = ctx.t(`results.why.${rule}.${r.funded ? 'funded' : 'notFunded'}`, params);
    if (r.funded) left -= r.amount || r.cost;
  }
  return ranked;
}
