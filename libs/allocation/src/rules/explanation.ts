import { Rational } from '../rational/rational';
import type { GreedyStep } from './greedy';
import type { MesPayment, MesTrace } from './mes-run';
import type { Tally } from './profile';

/** How MES treated a project. Amounts are in currency units, exact. */
export type MesExplanation =
  | {
      readonly outcome: 'selected';
      /** The round it was chosen (0: a free project with support, chosen before any round). */
      readonly round: number;
      /** ρ: each supporter pays min(their money, ρ·utility). */
      readonly priceFactor: Rational;
      /** What each group of supporters paid: full-price payers by amount, largest first, then those who paid all they had. */
      readonly payments: readonly MesPayment[];
    }
  | { readonly outcome: 'rejected'; readonly reason: 'no-supporters' }
  | {
      readonly outcome: 'rejected';
      readonly reason: 'unaffordable';
      /** The round after which its supporters' money fell short of its cost (0: from the start). */
      readonly round: number;
      /** The project whose payment left its supporters short; `null` when they never had enough. */
      readonly exhaustedBy: string | null;
      readonly supportersMoney: Rational;
    };

/** How a greedy walk (the rule itself, or the completion step) treated a project. */
export interface GreedyExplanation {
  readonly outcome: 'selected' | 'did-not-fit';
  /** Its place in the order by satisfaction per cost (1 = first). */
  readonly rank: number;
  /** Money left when the walk reached it. */
  readonly remainingBefore: Rational;
}

/** Why one project was or was not funded: structured, plus one sentence for people. */
export interface ProjectExplanation {
  readonly project: string;
  readonly cost: Rational;
  /** Voters with satisfaction > 0 for it. */
  readonly supporters: number;
  readonly selected: boolean;
  readonly mes?: MesExplanation;
  readonly greedy?: GreedyExplanation;
  readonly summary: string;
}

interface Sources {
  readonly trace?: MesTrace;
  readonly steps?: Map<number, GreedyStep>;
  readonly selected: ReadonlySet<number>;
}

/** Builds the per-project explanation from a MES trace and/or greedy steps. */
export function explain(profile: Tally, src: Sources): Record<string, ProjectExplanation> {
  const money = (x: bigint) => Rational.of(x, profile.scale);
  const out: Record<string, ProjectExplanation> = {};
  profile.ids.forEach((id, p) => {
    const mes = src.trace ? mesPart(profile, src.trace, p) : undefined;
    const step = src.steps?.get(p);
    const greedy: GreedyExplanation | undefined = step && {
      outcome: step.fitted ? 'selected' : 'did-not-fit',
      rank: step.rank,
      remainingBefore: money(step.remainingBefore),
    };
    const base = { project: id, cost: money(profile.costs[p]), supporters: profile.supporterCount[p], selected: src.selected.has(p) };
    out[id] = { ...base, ...(mes && { mes }), ...(greedy && { greedy }), summary: summary(base.cost, mes, greedy) };
  });
  return out;
}

function mesPart(profile: Tally, trace: MesTrace, p: number): MesExplanation {
  const chosen = trace.chosen.get(p);
  if (chosen) return { outcome: 'selected', ...chosen };
  const rejected = trace.rejected.get(p);
  if (!rejected) return { outcome: 'rejected', reason: 'no-supporters' };
  return {
    outcome: 'rejected',
    reason: 'unaffordable',
    round: rejected.round,
    exhaustedBy: rejected.exhaustedBy === undefined ? null : profile.ids[rejected.exhaustedBy],
    supportersMoney: rejected.supportersMoney,
  };
}

/** Exact when it has a short decimal form, else rounded to 2 places (marked ≈). */
function forPeople(x: Rational): string {
  const exact = x.toDecimalString();
  return exact.includes('/') || exact.length > 20 ? `≈${x.toFixed(2)}` : exact;
}

function summary(cost: Rational, mes?: MesExplanation, greedy?: GreedyExplanation): string {
  const parts: string[] = [];
  if (mes?.outcome === 'selected') {
    const paid = mes.payments
      .map((x) =>
        x.paidEach ? `${x.voters} paid ${forPeople(x.paidEach)} each` : `${x.voters} paid all they had left (${forPeople(x.total)} in all)`,
      )
      .join(', ');
    parts.push(
      mes.round === 0
        ? 'Equal shares: free and supported, funded before the first round.'
        : `Equal shares: funded in round ${mes.round} at price factor ${mes.priceFactor}; ${paid}.`,
    );
  } else if (mes?.reason === 'no-supporters') {
    parts.push('Equal shares: nobody supports it, so equal shares never funds it.');
  } else if (mes) {
    const after = mes.exhaustedBy === null ? 'from the start' : `after project ${mes.exhaustedBy} was paid for (round ${mes.round})`;
    parts.push(`Equal shares: ${after} its supporters had ${forPeople(mes.supportersMoney)} left, less than its cost ${forPeople(cost)}.`);
  }
  if (greedy) {
    const left = forPeople(greedy.remainingBefore);
    parts.push(
      greedy.outcome === 'selected'
        ? `Greedy: rank ${greedy.rank}; ${left} left when reached, its cost ${forPeople(cost)} fitted.`
        : `Greedy: rank ${greedy.rank}; only ${left} left when reached, its cost ${forPeople(cost)} did not fit.`,
    );
  }
  return parts.join(' ');
}
