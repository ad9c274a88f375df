import { SATISFACTIONS, type Satisfaction } from './satisfaction';

/** The rule families, as RULES.md §1–5 define them. */
export type RuleFamily = 'greedy' | 'mes' | 'mes_add1' | 'mes_budgetinc' | 'mes_add1_greedy' | 'mes_budgetinc_greedy';

/** A rule key, e.g. `mes_cost_add1_greedy`: the keys of expected.json. */
export type RuleKey =
  | `greedy_${Satisfaction}`
  | `mes_${Satisfaction}`
  | `mes_${Satisfaction}_add1`
  | `mes_${Satisfaction}_budgetinc`
  | `mes_${Satisfaction}_add1_greedy`
  | `mes_${Satisfaction}_budgetinc_greedy`;

/** A rule as published: its key, its version (bumped whenever an outcome could change) and what it does. */
export interface RuleDefinition {
  readonly key: RuleKey;
  readonly version: string;
  readonly family: RuleFamily;
  readonly satisfaction: Satisfaction;
  readonly description: string;
}

const SAT_WORDS: Record<Satisfaction, string> = {
  cardinality: 'one point per approved project',
  cost: "the project's cost per approver",
  points: 'the points each voter gave',
  borda: 'Borda score of the ranking',
};

const FAMILIES: readonly { family: RuleFamily; key: (s: Satisfaction) => RuleKey; text: string }[] = [
  {
    family: 'greedy',
    key: (s) => `greedy_${s}`,
    text: 'Greedy utilitarian welfare: fund by satisfaction per cost, skip what does not fit',
  },
  { family: 'mes', key: (s) => `mes_${s}`, text: 'Method of Equal Shares, plain (budget B/n per voter)' },
  {
    family: 'mes_add1',
    key: (s) => `mes_${s}_add1`,
    text: "Method of Equal Shares, completed by raising each voter's budget one currency unit at a time",
  },
  {
    family: 'mes_budgetinc',
    key: (s) => `mes_${s}_budgetinc`,
    text: 'Method of Equal Shares, completed by raising the budget 1% at a time until exhaustive',
  },
  { family: 'mes_add1_greedy', key: (s) => `mes_${s}_add1_greedy`, text: 'Method of Equal Shares with add1, then greedy completion' },
  {
    family: 'mes_budgetinc_greedy',
    key: (s) => `mes_${s}_budgetinc_greedy`,
    text: 'Method of Equal Shares with budget increase, then greedy completion',
  },
];

/** Every rule, by key. All at version 1 (pabutools 1.2.3 semantics, RULES.md). */
export const RULES: Readonly<Record<RuleKey, RuleDefinition>> = Object.fromEntries(
  SATISFACTIONS.flatMap((satisfaction) =>
    FAMILIES.map((f) => {
      const key = f.key(satisfaction);
      const def: RuleDefinition = {
        key,
        version: '1',
        family: f.family,
        satisfaction,
        description: `${f.text}; satisfaction: ${SAT_WORDS[satisfaction]}.`,
      };
      return [key, def];
    }),
  ),
) as Record<RuleKey, RuleDefinition>;

/** Every rule key, in a stable order. */
export function ruleKeys(): RuleKey[] {
  return Object.keys(RULES) as RuleKey[];
}

export function isRuleKey(key: string): key is RuleKey {
  return Object.prototype.hasOwnProperty.call(RULES, key);
}
