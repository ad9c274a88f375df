import { reject, isPence, requireId, requireText, type Pence } from '../common';

/** How a resident fills in a ballot for a pot. */
export type BallotType =
  /** Pick between `minPicks` and `maxPicks` proposals. */
  | { readonly kind: 'approval'; readonly minPicks: number; readonly maxPicks: number }
  /** Pick proposals whose official costs add up to no more than the pot's budget. */
  | { readonly kind: 'knapsack' }
  /** Spread up to `points` whole points over proposals. */
  | { readonly kind: 'cumulative'; readonly points: number };

export const ALLOCATION_RULES = ['greedy_by_votes', 'equal_shares_with_completion'] as const;
/** How ballots become an allocation: greedy by support, or the Method of Equal Shares completed greedily. */
export type AllocationRule = (typeof ALLOCATION_RULES)[number];

/**
 * How ties between proposals break; the names are those of `@civic/allocation`.
 * - `lexico`: smallest proposal id in plain code-unit order (the research reference's order);
 * - `equalshares`: lowest cost, then most supporters, then a lot: SHA-256 of `seed:id`. The seed
 *   is fixed with the rules, so the order is known before a ballot is cast and never random.
 * Either way the order is total, so every allocation is deterministic.
 */
export type TieBreakOrder = { readonly kind: 'lexico' } | { readonly kind: 'equalshares'; readonly seed: string };

/** The rules of a pot: the four things frozen once voting opens. */
export interface PotRules {
  readonly budget: Pence;
  readonly ballot: BallotType;
  readonly rule: AllocationRule;
  readonly tieBreak: TieBreakOrder;
}

/** A pot of a fund: the borough-wide one, or one per ward. */
export interface Pot extends PotRules {
  readonly potId: string;
  readonly name: string;
  readonly scope: { readonly kind: 'borough' } | { readonly kind: 'ward'; readonly ward: string };
}

const isWholeNumber = (n: unknown, min: number): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= min;

/** Checks a ballot type and returns it rebuilt from its known fields only. */
export const validateBallotType = (ballot: BallotType): BallotType => {
  switch (ballot?.kind) {
    case 'approval':
      return isWholeNumber(ballot.minPicks, 0) && isWholeNumber(ballot.maxPicks, 1) && ballot.minPicks <= ballot.maxPicks
        ? { kind: 'approval', minPicks: ballot.minPicks, maxPicks: ballot.maxPicks }
        : reject('FUND.INVALID_POT', 'An approval ballot needs whole numbers 0 ≤ minimum picks ≤ maximum picks, maximum at least 1.');
    case 'knapsack':
      return { kind: 'knapsack' };
    case 'cumulative':
      return isWholeNumber(ballot.points, 1)
        ? { kind: 'cumulative', points: ballot.points }
        : reject('FUND.INVALID_POT', 'A cumulative ballot needs at least 1 point.');
    default:
      return reject('FUND.INVALID_POT', 'The ballot type must be approval, knapsack or cumulative.');
  }
};

export const validateTieBreak = (order: TieBreakOrder): TieBreakOrder => {
  const ok =
    order?.kind === 'lexico' ||
    (order?.kind === 'equalshares' && typeof order.seed === 'string' && order.seed.length >= 8 && order.seed.length <= 200);
  if (ok) return order.kind === 'lexico' ? { kind: 'lexico' } : { kind: 'equalshares', seed: order.seed };
  return reject('FUND.INVALID_POT', 'The tie-break is lexico, or equalshares with a seed of 8 to 200 characters.');
};

/** Checks every rule of a pot, rejecting with `FUND.INVALID_POT`; returns them rebuilt from known fields. */
export const validatePotRules = (rules: PotRules): PotRules => {
  if (!isPence(rules.budget) || rules.budget === 0) reject('FUND.INVALID_POT', 'The budget must be a positive whole number of pence.');
  const ballot = validateBallotType(rules.ballot);
  if (!ALLOCATION_RULES.includes(rules.rule)) reject('FUND.INVALID_POT', 'The allocation rule must be greedy by votes or equal shares.');
  return { budget: rules.budget, ballot, rule: rules.rule, tieBreak: validateTieBreak(rules.tieBreak) };
};

export const validatePot = (pot: Pot): Pot => {
  requireId(pot.potId, 'pot id');
  requireText(pot.name, 200, 'FUND.INVALID_POT', 'pot name');
  if (pot.scope?.kind === 'ward') requireText(pot.scope.ward, 100, 'FUND.INVALID_POT', 'ward');
  else if (pot.scope?.kind !== 'borough') reject('FUND.INVALID_POT', 'A pot is borough-wide or for one ward.');
  const scope: Pot['scope'] = pot.scope.kind === 'ward' ? { kind: 'ward', ward: pot.scope.ward } : { kind: 'borough' };
  return { potId: pot.potId, name: pot.name, scope, ...validatePotRules(pot) };
};
