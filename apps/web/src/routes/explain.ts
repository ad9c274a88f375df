import type { AllocationData, LineExplanation, PotData, ProposalSummary } from '../graphql/operations';
import type { PageContext } from '../web-app';
import { numberText, titled } from './resident-words';

export interface ResultRow {
  id: string;
  title: string;
  /** "No. 12", empty for a proposal without one. */
  numberText: string;
  votes: number;
  cost: number;
  funded: boolean;
  rank: number;
  why: string;
}

/** An exact amount or share as the API writes it, a whole number ("12500") or a fraction ("37500/7"). */
export const exact = (value: string | null | undefined): number => {
  if (!value) return 0;
  const [n, d] = value.split('/');
  return d === undefined ? Number(n) : Number(n) / Number(d);
};

/** Pence to the money shown: exact shares are rounded to the nearest penny. */
const pounds = (ctx: PageContext, pence: string | null | undefined) => ctx.f.money(Math.round(exact(pence)));

/**
 * Each proposal's result and why, in words in the page's language, from the explanation the API
 * records with the allocation as data: for greedy-by-votes its place in the walk down the votes
 * and the money left at its turn; for the Method of Equal Shares the round, what each group of
 * supporters paid, or its effective support, whose funding used up its supporters' money and how
 * many of them it shared with the funded proposals; and the completion step after it.
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
  const nameOf = (id: string) => {
    const p = byId.get(id);
    return p ? titled(ctx, p) : '';
  };
  const rows = results.lines.map((line) => {
    const p = byId.get(line.proposalId);
    const cost = Number(p?.officialCost ?? p?.estimatedCost ?? line.amount ?? 0);
    return {
      id: line.proposalId,
      title: p?.title ?? '',
      numberText: numberText(ctx, p?.number),
      votes: votesOf.get(line.proposalId) ?? 0,
      cost,
      funded: line.funded,
      rank: 0,
      why: '',
      explanation: line.explanation,
      override: line.overridden ? (line.reason ?? '') : undefined,
    };
  });
  const ranked = [...rows].sort((a, b) => b.votes - a.votes || (a.funded === b.funded ? 0 : a.funded ? -1 : 1));
  ranked.forEach((r, i) => (r.rank = i + 1));
  const votesWord = (n: number) => ctx.t(pot.ballot.kind === 'cumulative' ? 'explain.points' : 'explain.votes', { n: ctx.f.number(n) });
  const list = new Intl.ListFormat(ctx.lang, { type: 'conjunction' });
  for (const r of ranked) {
    // An overridden line says so, with the councillor's reason, instead of the rule's account.
    r.why =
      r.override !== undefined
        ? ctx.t('councilPages.why.overridden', { reason: r.override })
        : sentences(ctx, r.explanation, { cost: ctx.f.money(r.cost), votes: votesWord(r.votes), count: ranked.length }, nameOf, list);
  }
  return ranked.map(({ explanation: _unused, override: _override, ...row }) => row);
}

function sentences(
  ctx: PageContext,
  e: LineExplanation | null,
  line: { cost: string; votes: string; count: number },
  nameOf: (id: string) => string,
  list: Intl.ListFormat,
): string {
  // An allocation whose recorded inputs no longer match has no explanation: say only what it decided.
  if (!e) return '';
  if (e.supporters === 0 || e.mes?.outcome === 'no_supporters') return ctx.t('explain.noSupporters');
  const out: string[] = [];
  const supporters = ctx.f.number(e.supporters);
  const mes = e.mes;
  if (mes?.outcome === 'funded') {
    if (!mes.round) out.push(ctx.t('explain.mes.fundedFree'));
    else {
      const payments = (mes.payments ?? []).map((g) =>
        g.allTheyHad
          ? ctx.t('explain.mes.paidAll', { voters: ctx.f.number(g.voters), total: pounds(ctx, g.total) })
          : g.paidEach
            ? ctx.t('explain.mes.paidEach', { voters: ctx.f.number(g.voters), each: pounds(ctx, g.paidEach) })
            : ctx.t('explain.mes.paidTotal', { voters: ctx.f.number(g.voters), total: pounds(ctx, g.total) }),
      );
      out.push(
        ctx.t('explain.mes.funded', { round: ctx.f.number(mes.round), supporters, cost: line.cost, payments: list.format(payments) }),
      );
    }
  } else if (mes?.outcome === 'unaffordable') {
    const params = {
      round: ctx.f.number(mes.round ?? 0),
      supporters,
      money: pounds(ctx, mes.supportersMoney),
      support: ctx.f.percent(exact(mes.effectiveSupport)),
      cost: line.cost,
    };
    out.push(
      mes.exhaustedBy ? ctx.t('explain.mes.exhausted', { ...params, by: nameOf(mes.exhaustedBy) }) : ctx.t('explain.mes.short', params),
    );
    const overlaps = (mes.overlaps ?? []).map((o) =>
      ctx.t('explain.mes.overlap', { percent: ctx.f.percent(o.shared / e.supporters), title: nameOf(o.proposalId) }),
    );
    if (overlaps.length) out.push(ctx.t('explain.mes.overlaps', { list: list.format(overlaps) }));
    // Equal shares with completion: the money left is then spent down the votes.
    if (e.greedy)
      out.push(
        ctx.t(`explain.mes.${e.greedy.outcome === 'funded' ? 'completionFunded' : 'completionMissed'}`, {
          left: pounds(ctx, e.greedy.remainingBefore),
        }),
      );
  } else if (e.greedy) {
    out.push(
      ctx.t(`explain.greedy.${e.greedy.outcome}`, {
        votes: line.votes,
        rank: ctx.f.number(e.greedy.rank),
        count: ctx.f.number(line.count),
        left: pounds(ctx, e.greedy.remainingBefore),
        cost: line.cost,
      }),
    );
  }
  return out.join(' ');
}
