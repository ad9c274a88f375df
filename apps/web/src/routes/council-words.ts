import type { CouncilLine } from '../graphql/council.operations';
import type { PageContext } from '../web-app';

/** Exact pence from the API ("12500" or a fraction "37500/7"), rounded down to whole pence for showing. */
export const exactPence = (exact: string | null | undefined): number => {
  if (!exact) return 0;
  const [n, d] = exact.split('/');
  return Math.floor(Number(n) / Number(d ?? 1));
};

/** A proposal as staff pages name it: "No. 4, Benches" (by title alone when it was never numbered). */
export const proposalName = (ctx: PageContext, p: { title: string; number: number | null | undefined }): string =>
  p.number == null ? p.title : ctx.t('councilPages.proposalName', { number: ctx.f.number(p.number), title: p.title });

/**
 * Why a line of an allocation was or was not funded, in the reader's language, from the
 * structured explanation the rule recorded (never from the English sentence, which is only the
 * last resort for allocations recorded without one). An overridden line says so first.
 */
export function lineInWords(ctx: PageContext, line: CouncilLine, cost: number): string[] {
  const words: string[] = [];
  if (line.overridden) words.push(ctx.t('councilPages.why.overridden', { reason: line.reason }));
  const e = line.explanation;
  if (!e) {
    if (!line.overridden) words.push(line.reason);
    return words;
  }
  const base = { supporters: ctx.f.number(e.supporters), cost: ctx.f.money(cost) };
  if (e.mes) {
    const m = e.mes;
    if (m.outcome === 'funded') words.push(ctx.t('councilPages.why.mesFunded', { ...base, round: ctx.f.number(m.round ?? 0) }));
    else if (m.outcome === 'no_supporters') words.push(ctx.t('councilPages.why.noSupporters'));
    else {
      const other = m.exhaustedByTitle ? proposalName(ctx, { title: m.exhaustedByTitle, number: m.exhaustedByNumber }) : '';
      words.push(
        ctx.t(other ? 'councilPages.why.mesShortAfter' : 'councilPages.why.mesShort', {
          ...base,
          money: ctx.f.money(exactPence(m.supportersMoney)),
          other,
        }),
      );
      const shared = (m.overlaps ?? [])
        .slice(0, 3)
        .map((o) => ctx.t('councilPages.why.overlap', { name: proposalName(ctx, o), shared: ctx.f.number(o.shared) }));
      if (shared.length) words.push(ctx.t('councilPages.why.overlaps', { list: shared.join('; ') }));
    }
  }
  if (e.greedy) {
    const g = e.greedy;
    const params = { ...base, rank: ctx.f.number(g.rank), left: ctx.f.money(exactPence(g.remainingBefore)) };
    const key = e.mes ? 'completion' : 'greedy';
    words.push(ctx.t(`councilPages.why.${key}.${g.outcome === 'funded' ? 'funded' : 'didNotFit'}`, params));
  } else if (!e.mes) words.push(ctx.t(e.supporters === 0 ? 'councilPages.why.noSupporters' : 'councilPages.why.unknown'));
  return words;
}
