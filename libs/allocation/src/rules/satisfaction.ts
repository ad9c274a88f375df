import type { VoteType } from '../election/election';

/**
 * How much a voter is satisfied by a project (RULES.md §0):
 * - `cardinality`: 1 per approved project (approval, knapsack);
 * - `cost`: the project's cost if approved (approval, knapsack);
 * - `points`: the points given (cumulative);
 * - `borda`: `len(ranking) - position - 1` (ordinal; the last ranked gets 0).
 */
export const SATISFACTIONS = ['cardinality', 'cost', 'points', 'borda'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

/** The vote types each satisfaction can read. */
export function appliesTo(sat: Satisfaction, voteType: VoteType): boolean {
  switch (sat) {
    case 'cardinality':
    case 'cost':
      return voteType === 'approval' || voteType === 'knapsack';
    case 'points':
      return voteType === 'cumulative';
    case 'borda':
      return voteType === 'ordinal';
  }
}
