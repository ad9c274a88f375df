import { AllocationError } from '../allocation.errors';
import { Rational, type RationalLike } from '../rational/rational';

/**
 * How residents voted. `approval` and `knapsack` ballots are both sets of approved projects
 * (knapsack ballots were limited to the budget when cast; the rules treat them alike);
 * `cumulative` ballots give points; `ordinal` ballots rank projects (imported elections).
 */
export const VOTE_TYPES = ['approval', 'knapsack', 'cumulative', 'ordinal'] as const;
export type VoteType = (typeof VOTE_TYPES)[number];

/** A project on the ballot: an opaque id (a proposal's UUID, a pabulib `project_id`) and its exact cost. */
export interface Project {
  readonly id: string;
  readonly cost: Rational;
  /** Other columns of an imported file (`name`, `votes`, ...), kept for export. */
  readonly extra?: Readonly<Record<string, string>>;
}

/** One voter's ballot. `items` lists project ids; `points` (cumulative only) runs parallel to it. */
export interface Ballot {
  /** The pabulib `voter_id` (or a pseudonym); not used by any rule. */
  readonly voterId?: string;
  /** Approved projects (approval, knapsack), projects given points (cumulative), or the ranking, best first (ordinal). */
  readonly items: readonly string[];
  /** Cumulative only: the points given to `items[i]`. */
  readonly points?: readonly Rational[];
  /** Other columns of an imported file (`age`, `sex`, ...), kept for export. */
  readonly extra?: Readonly<Record<string, string>>;
}

/**
 * One pot's election: everything a rule needs, and what a pabulib file holds. Immutable: do not
 * change one after building it ({@link allocate} caches its compiled ballots per object).
 */
export interface Election {
  readonly budget: Rational;
  readonly voteType: VoteType;
  readonly projects: readonly Project[];
  readonly ballots: readonly Ballot[];
  /** The pabulib META section (kept in file order for export); empty for elections built in code. */
  readonly meta: Readonly<Record<string, string>>;
}

/** A ballot as the domain holds it: approved ids, ids to points, or a ranking. */
export type BallotInput = readonly string[] | Readonly<Record<string, RationalLike>> | ReadonlyMap<string, RationalLike> | Ballot;

/** What {@link createElection} accepts: money as bigint pence (or any exact value). */
export interface ElectionInput {
  readonly budget: RationalLike;
  readonly voteType: VoteType;
  readonly projects: readonly { readonly id: string; readonly cost: RationalLike }[];
  readonly ballots: readonly BallotInput[];
  readonly meta?: Readonly<Record<string, string>>;
}

/**
 * Builds and checks an election from code, e.g. from a pot's accepted proposals (costs in
 * integer pence as bigint) and its ballots. Throws `ALLOCATION.INVALID_ELECTION` on a negative
 * budget or cost, a duplicate project id, a ballot naming an unknown project, or a ballot
 * whose shape does not match the vote type.
 */
export function createElection(input: ElectionInput): Election {
  const budget = Rational.from(input.budget);
  if (budget.sign() < 0) throw invalid('the budget is negative');
  const ids = new Set<string>();
  const projects = input.projects.map((p) => {
    if (ids.has(p.id)) throw invalid(`project "${p.id}" appears twice`);
    ids.add(p.id);
    const cost = Rational.from(p.cost);
    if (cost.sign() < 0) throw invalid(`project "${p.id}" has a negative cost`);
    return { id: p.id, cost };
  });
  const ballots = input.ballots.map((b, i) => toBallot(b, input.voteType, i));
  ballots.forEach((b, i) => {
    for (const id of b.items) if (!ids.has(id)) throw invalid(`ballot ${i} names unknown project "${id}"`);
  });
  return { budget, voteType: input.voteType, projects, ballots, meta: { ...(input.meta ?? {}) } };
}

function toBallot(b: BallotInput, voteType: VoteType, i: number): Ballot {
  const cumulative = voteType === 'cumulative';
  if (Array.isArray(b)) {
    if (cumulative) throw invalid(`ballot ${i} is a list, but cumulative ballots give points`);
    return { items: [...(b as readonly string[])] };
  }
  if (isBallot(b)) {
    if (cumulative !== (b.points !== undefined)) throw invalid(`ballot ${i} does not match vote type ${voteType}`);
    if (b.points && b.points.length !== b.items.length) throw invalid(`ballot ${i} has points for a different number of projects`);
    return b;
  }
  if (!cumulative) throw invalid(`ballot ${i} gives points, but the vote type is ${voteType}`);
  const entries = b instanceof Map ? [...b.entries()] : Object.entries(b as Record<string, RationalLike>);
  const points = entries.map(([, v]) => Rational.from(v));
  if (points.some((p) => p.sign() < 0)) throw invalid(`ballot ${i} gives negative points`);
  return { items: entries.map(([k]) => k), points };
}

function isBallot(b: BallotInput): b is Ballot {
  return typeof b === 'object' && b !== null && !(b instanceof Map) && Array.isArray((b as Ballot).items);
}

function invalid(message: string): AllocationError {
  return new AllocationError('ALLOCATION.INVALID_ELECTION', `Invalid election: ${message}`);
}
