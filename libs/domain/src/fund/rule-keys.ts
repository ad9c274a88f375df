import type { AllocationRule, BallotType } from './pot';

/**
 * The keys of `@civic/allocation` (the pabutools rule keys of `expected.json`) that
 * implement a pot's rule for its ballot type:
 *
 * | ballot type | greedy by votes      | equal shares with completion  |
 * | ----------- | -------------------- | ----------------------------- |
 * | approval    | `greedy_cardinality` | `mes_cardinality_add1_greedy` |
 * | knapsack    | `greedy_cardinality` | `mes_cardinality_add1_greedy` |
 * | cumulative  | `greedy_points`      | `mes_points_add1_greedy`      |
 *
 * Knapsack ballots are approval sets whose cost was checked at casting, so they count
 * like approval ballots (one vote per pick). Equal shares is completed the way
 * Wieliczka and Aarau did: +1 per-voter budget increments, then greedy on what is left.
 */
export type RuleKey = 'greedy_cardinality' | 'mes_cardinality_add1_greedy' | 'greedy_points' | 'mes_points_add1_greedy';

export const ruleKeyFor = (ballot: BallotType, rule: AllocationRule): RuleKey => {
  const points = ballot.kind === 'cumulative';
  switch (rule) {
    case 'greedy_by_votes':
      return points ? 'greedy_points' : 'greedy_cardinality';
    case 'equal_shares_with_completion':
      return points ? 'mes_points_add1_greedy' : 'mes_cardinality_add1_greedy';
    default: {
      const _: never = rule;
      return _;
    }
  }
};
