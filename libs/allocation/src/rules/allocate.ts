import { AllocationError } from '../allocation.errors';
import type { Election } from '../election/election';
import { Rational } from '../rational/rational';
import { tieBreakRanks, type TieBreak } from '../tie-break/tie-break';
import { explain, type ProjectExplanation } from './explanation';
import { runGreedy, type GreedyStep } from './greedy';
import { runMesCompleted, type Completion, type IteratedOutcome } from './mes-iterated';
import { runMes, type MesTrace } from './mes-run';
import { profileOf, tallyOf, type Profile, type Tally } from './profile';
import { isRuleKey, RULES, type RuleFamily, type RuleKey } from './rule-keys';
import { appliesTo, SATISFACTIONS } from './satisfaction';

/** Options of {@link allocate}. */
export interface AllocateOptions {
  /**
   * How ties between projects are broken.
   * @defaultValue `'lexico'` (the research reference's order; use it to check conformance)
   */
  readonly tieBreak?: TieBreak;
  /**
   * The seed of the lot for `tieBreak: 'equalshares'`, recorded before counting (e.g. drawn in
   * public and stored with the pot's configuration). Required with `equalshares`, unused otherwise.
   */
  readonly seed?: string;
  /**
   * The project ids in tie-break order for `tieBreak: 'order'` (first wins every tie).
   * Required with `order`, unused otherwise.
   */
  readonly order?: readonly string[];
}

/** An allocation: which projects are funded, in selection order, and why. Serialises to JSON without floats. */
export interface AllocationResult {
  readonly rule: RuleKey;
  readonly ruleVersion: string;
  readonly tieBreak: TieBreak;
  readonly seed?: string;
  /** `tieBreak: 'order'`: the order applied, as given. */
  readonly order?: readonly string[];
  /** Funded project ids, in the order the rule chose them. */
  readonly selected: string[];
  /** Every project id in the tie-break order the rule applied, the winner of every tie first: published, since pabutools has no equivalent of every order. */
  readonly tieBreakOrder: string[];
  readonly totalCost: Rational;
  readonly budget: Rational;
  /** MES rules: each voter's start budget in the run that gave the outcome. */
  readonly voterBudget?: Rational;
  /**
   * Iterated MES rules: how many MES runs the rule's definition makes (one per raise of the start
   * budget, the last included), whether or not each was run here: runs proven to repeat the one
   * before are skipped, and still counted, so recorded values stay as they were.
   */
  readonly mesRuns?: number;
  /** One entry per project of the election, by id. */
  readonly explanation: Record<string, ProjectExplanation>;
}

const COMPLETION: Record<Exclude<RuleFamily, 'greedy'>, Completion> = {
  mes: 'plain',
  mes_add1: 'add1',
  mes_budgetinc: 'budgetinc',
  mes_add1_greedy: 'add1',
  mes_budgetinc_greedy: 'budgetinc',
};

/**
 * Compiles an election's ballots ahead of time for every satisfaction its vote type allows
 * (MES rules need them grouped and indexed). Optional: {@link allocate} does it on first use and
 * keeps the result with the election object; call this where that cost should fall elsewhere,
 * e.g. right after importing a file.
 */
export function prepareElection(election: Election): void {
  for (const sat of SATISFACTIONS) if (appliesTo(sat, election.voteType)) profileOf(election, sat);
}

/** Plain MES's start budget B/n, for the traced run (which then is the only run). */
function plainOutcome(profile: Profile): IteratedOutcome {
  const n = BigInt(Math.max(profile.voters, 1));
  return { selected: [], cost: 0n, b0num: profile.voters > 0 ? profile.budget : 0n, b0den: n, runs: 1 };
}

/**
 * Computes a pot's allocation with the rule `ruleKey` (see {@link RULES}). Pure and
 * deterministic: the same election, rule and options always give the same result.
 * Throws `ALLOCATION.UNKNOWN_RULE`, `ALLOCATION.RULE_NOT_APPLICABLE` (the rule's satisfaction
 * cannot read this vote type), `ALLOCATION.SEED_REQUIRED` or `ALLOCATION.ORDER_REQUIRED`.
 */
export function allocate(election: Election, ruleKey: string, options: AllocateOptions = {}): AllocationResult {
  if (!isRuleKey(ruleKey)) throw new AllocationError('ALLOCATION.UNKNOWN_RULE', `Unknown rule "${ruleKey}"`);
  const rule = RULES[ruleKey];
  if (!appliesTo(rule.satisfaction, election.voteType)) {
    throw new AllocationError(
      'ALLOCATION.RULE_NOT_APPLICABLE',
      `Rule ${ruleKey} reads ${rule.satisfaction} satisfaction, which ${election.voteType} ballots do not give`,
    );
  }
  const tieBreak = options.tieBreak ?? 'lexico';
  const ranks = (t: Tally) =>
    tieBreakRanks(
      { ids: t.ids, costs: election.projects.map((p) => p.cost), supporters: t.supporterCount },
      tieBreak,
      options.seed,
      options.order,
    );
  const head = {
    rule: ruleKey,
    ruleVersion: rule.version,
    tieBreak,
    ...(tieBreak === 'equalshares' && { seed: options.seed }),
    ...(tieBreak === 'order' && { order: options.order }),
  };

  let profile: Tally;
  let selected: number[];
  let steps: Map<number, GreedyStep> | undefined;
  let trace: MesTrace | undefined;
  let extra: Pick<AllocationResult, 'voterBudget' | 'mesRuns'> = {};
  if (rule.family === 'greedy') {
    // Greedy only needs each project's support, not the compiled ballots.
    profile = tallyOf(election, rule.satisfaction);
    ({ selected, steps } = runGreedy(profile, ranks(profile)));
  } else {
    const mes = profileOf(election, rule.satisfaction);
    const rank = ranks(mes);
    const completion = COMPLETION[rule.family];
    // Plain MES runs once, explaining itself; an iterated MES searches untraced, then re-runs
    // the winning budget once to explain it.
    const outcome = completion === 'plain' ? plainOutcome(mes) : runMesCompleted(mes, rank, completion);
    trace = { chosen: new Map(), rejected: new Map() };
    selected = runMes(mes, outcome.b0num, outcome.b0den, rank, trace).selected;
    extra = {
      voterBudget: Rational.of(outcome.b0num, outcome.b0den * mes.scale),
      ...(rule.family !== 'mes' && { mesRuns: outcome.runs }),
    };
    if (rule.family.endsWith('_greedy')) ({ selected, steps } = runGreedy(mes, rank, selected));
    profile = mes;
  }
  const cost = selected.reduce((acc, p) => acc + profile.costs[p], 0n);
  const rank = ranks(profile);
  return {
    ...head,
    selected: selected.map((p) => profile.ids[p]),
    tieBreakOrder: profile.ids
      .map((_, i) => i)
      .sort((a, b) => rank[a] - rank[b])
      .map((i) => profile.ids[i]),
    totalCost: Rational.of(cost, profile.scale),
    budget: election.budget,
    ...extra,
    explanation: explain(profile, { trace, steps, selected: new Set(selected) }),
  };
}
