import type { FundData, PotData } from '../graphql/operations';
import type { PageContext } from '../web-app';

/** What a resident reads about a fund's phase: the phase's name and the next date that matters, in words. */
export function fundStatus(ctx: PageContext, fund: FundData): { phase: string; sentence: string } {
  const s = fund.schedule;
  const at = (iso: string) => ctx.f.dateTime(iso, fund.timeZone);
  const sentence = (() => {
    switch (fund.phase) {
      case 'draft':
        return ctx.t('fund.when.draft', { date: at(s.proposalsOpenAt) });
      case 'proposals_open':
        return ctx.t('fund.when.proposals_open', { date: at(s.reviewStartsAt) });
      case 'review':
        return ctx.t('fund.when.review', { date: at(s.votingOpensAt) });
      case 'voting_open':
        return ctx.t('fund.when.voting_open', { date: at(s.votingClosesAt) });
      case 'voting_closed':
        return ctx.t('fund.when.voting_closed', { date: at(s.votingClosesAt) });
      case 'results_published':
      case 'delivery':
      case 'closed':
        return ctx.t(`fund.when.${fund.phase}`);
    }
  })();
  return { phase: ctx.t(`phase.${fund.phase}`), sentence };
}

/** How a pot is voted on, in words: "Choose up to 5 projects", "Choose projects within £50,000", "Spread 10 points". */
export function ballotWords(ctx: PageContext, pot: PotData): string {
  const b = pot.ballot;
  switch (b.kind) {
    case 'approval':
      return b.minPicks && b.minPicks > 1
        ? ctx.t('ballot.kind.approvalRange', { min: ctx.f.number(b.minPicks), max: ctx.f.number(b.maxPicks ?? b.minPicks) })
        : ctx.t('ballot.kind.approval', { max: ctx.f.number(b.maxPicks ?? 1) });
    case 'knapsack':
      return ctx.t('ballot.kind.knapsack', { budget: ctx.f.money(pot.budget) });
    case 'cumulative':
      return ctx.t('ballot.kind.cumulative', { points: ctx.f.number(b.points ?? 0) });
  }
}

/** Borough-wide pot first, then ward pots by name. */
export const sortPots = (pots: readonly PotData[]): PotData[] =>
  [...pots].sort((a, b) => (a.ward === null ? -1 : b.ward === null ? 1 : a.name.localeCompare(b.name)));

export const RESULTS_PHASES = new Set(['results_published', 'delivery', 'closed']);
