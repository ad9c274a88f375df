import { Rational, type AllocationResult, type Election, type ProjectExplanation } from '@civic/allocation';
import type { ExactPence, LineExplanation, MesLineExplanation, SupporterOverlap } from '@civic/domain';

/** The election counts in pounds (see allocation-inputs): back to exact pence for the record. */
const HUNDRED = Rational.of(100n);
const pence = (pounds: Rational): ExactPence => pounds.mul(HUNDRED).toString();

/** At most this many overlapping funded proposals are kept per unfunded one: the ones a page names. */
const MAX_OVERLAPS = 5;

/** Each project's supporters, as ballot indexes (a cumulative ballot supports what it gives points to). */
const supportersOf = (election: Election): Map<string, Set<number>> => {
  const out = new Map(election.projects.map((p) => [p.id, new Set<number>()]));
  election.ballots.forEach((ballot, i) =>
    ballot.items.forEach((item, k) => {
      if (ballot.points && ballot.points[k].isZero()) return;
      out.get(item)?.add(i);
    }),
  );
  return out;
};

/**
 * The rule's explanation of every project as data for the record (`LineExplanation`), with what a
 * page needs beyond the library's trace: for a project equal shares could not afford, its
 * effective support (the share of its cost its supporters could still pay) and the funded
 * projects that shared its supporters, so a page can say "43% of its supporters also backed
 * project 6, which was funded".
 */
export const lineExplanations = (election: Election, result: AllocationResult): Map<string, LineExplanation> => {
  const supporters = supportersOf(election);
  const funded = result.selected;
  const overlaps = (id: string): SupporterOverlap[] => {
    const mine = supporters.get(id) ?? new Set<number>();
    return (
      funded
        .map((other) => ({ proposalId: other, shared: [...(supporters.get(other) ?? [])].filter((v) => mine.has(v)).length }))
        .filter((o) => o.shared > 0)
        // Ties keep the order the rule funded them in, never an id order: ids differ between two
        // records of the same election, and the explanation must not.
        .sort((a, b) => b.shared - a.shared)
        .slice(0, MAX_OVERLAPS)
    );
  };
  const out = new Map<string, LineExplanation>();
  for (const [id, e] of Object.entries(result.explanation)) out.set(id, lineExplanation(id, e, overlaps));
  return out;
};

const lineExplanation = (id: string, e: ProjectExplanation, overlaps: (id: string) => SupporterOverlap[]): LineExplanation => {
  let mes: MesLineExplanation | undefined;
  if (e.mes?.outcome === 'selected') {
    mes = {
      outcome: 'funded',
      round: e.mes.round,
      priceFactor: e.mes.priceFactor.toString(),
      payments: e.mes.payments.map((p) => ({
        voters: p.voters,
        allTheyHad: p.allTheyHad,
        ...(p.paidEach && { paidEach: pence(p.paidEach) }),
        total: pence(p.total),
      })),
    };
  } else if (e.mes?.outcome === 'rejected' && e.mes.reason === 'no-supporters') {
    mes = { outcome: 'no_supporters' };
  } else if (e.mes?.outcome === 'rejected') {
    mes = {
      outcome: 'unaffordable',
      round: e.mes.round,
      exhaustedBy: e.mes.exhaustedBy,
      supportersMoney: pence(e.mes.supportersMoney),
      effectiveSupport: e.cost.isZero() ? '1' : e.mes.supportersMoney.div(e.cost).toString(),
      overlaps: overlaps(id),
    };
  }
  const greedy = e.greedy && {
    outcome: e.greedy.outcome === 'selected' ? ('funded' as const) : ('did_not_fit' as const),
    rank: e.greedy.rank,
    remainingBefore: pence(e.greedy.remainingBefore),
  };
  return { supporters: e.supporters, ...(mes && { mes }), ...(greedy && { greedy }) };
};
