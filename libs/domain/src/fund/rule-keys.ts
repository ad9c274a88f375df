import type { AllocationRule, BallotType } from './pot';

/**
 * The keys of `@civic/allocation` (the pabutools rule keys of `expected.json`) that
 * implement a pot's rule for its ballot type:
 *
 * | ballot type | greedy by votes | equal shares with completion |
 * | ----------- | --------------- | ---------------------------- |
 * | approval    | `greedy_cost`   | `mes_cost_add1_greedy`       |
 * | knapsack    | `greedy_cost`   | `mes_cost_add1_greedy`       |
 * | cumulative  | `greedy_points` | `mes_points_add1_greedy`     |
 *
 * - `greedy_cost` ranks by number of approvals (satisfaction = cost, so density = votes):
 *   "most votes first, skip what does not fit", the rule most cities use. Knapsack ballots
 *   are approval sets whose cost was checked at casting, so they count the same way.
 * - Equal shares uses cost utilities, as equalshares.net recommends and as Assen 2024 ran
 *   (`mes_cost_add1` reproduces it), completed by +1 currency unit per voter, then greedy.
 *   The +1 is one pound, not one penny: the application passes amounts in pounds, as exact
 *   rationals of pence / 100.
 * - Cumulative ballots: the reference has no "most points first" key; `greedy_points` ranks by
 *   points per pound. This is the closest published rule and is named as such in every event.
 */
export type RuleKey = 'greedy_cost' | 'mes_cost_add1_greedy' | 'greedy_points' | 'mes_points_add1_greedy';

export const ruleKeyFor = (ballot: BallotType, rule: AllocationRule): RuleKey => {
  const points = ballot.kind === 'cumulative';
  switch (rule) {
    case 'greedy_by_votes':
      return points ? 'greedy_points' : 'greedy_cost';
    case 'equal_shares_with_completion':
      return points ? 'mes_points_add1_greedy' : 'mes_cost_add1_greedy';
    default: {
      const _: never = rule;
      return _;
    }
  }
};
