import { AllocationError } from '../allocation.errors';
import type { Election } from '../election/election';
import { lcm, Rational } from '../rational/rational';
import type { Satisfaction } from './satisfaction';

/**
 * An election compiled for one satisfaction function: integers only, voters with identical
 * ballots merged into one weighted group. Money is scaled by `scale` (the lcm of the budget's and
 * costs' denominators) and utilities by a common factor, which changes no comparison any rule
 * makes. Built once and shared by every MES run of an iterated rule.
 */
export interface Profile {
  readonly ids: readonly string[];
  readonly sat: Satisfaction;
  /** Money unit: one currency unit is `scale` internal units. */
  readonly scale: bigint;
  readonly budget: bigint;
  readonly costs: readonly bigint[];
  /** Number of voters n (every ballot, even an empty one). */
  readonly voters: number;
  /** Voters per group. */
  readonly groupSize: Float64Array;
  /** Per project: the groups that support it (utility > 0). */
  readonly supporters: readonly Int32Array[];
  /** Per project, parallel to `supporters`: the group's utility; `undefined` when every utility is 1. */
  readonly utilities: readonly (Int32Array | undefined)[];
  /** Per project: number of supporting voters. */
  readonly supporterCount: readonly number[];
  /** Per project: total satisfaction S(p), in scaled units (greedy's numerator). */
  readonly totalSatisfaction: readonly bigint[];
  /** Utilities are real utilities times this (points may be fractions). */
  readonly utilityScale: bigint;
  /** Per project: MES compares `payment per unit utility / keyScale` (the cost for `cost`, else 1). */
  readonly keyScale: readonly bigint[];
}

/** Compiles an election for `sat`. The caller has checked that `sat` applies to the vote type. */
export function compileProfile(election: Election, sat: Satisfaction): Profile {
  const ids = election.projects.map((p) => p.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const scale = election.projects.reduce((acc, p) => lcm(acc, p.cost.den), election.budget.den);
  const costs = election.projects.map((p) => (p.cost.num * scale) / p.cost.den);
  const pointScale = sat === 'points' ? pointsScale(election) : 1n;

  // Group identical ballots: same supported projects with the same utilities.
  const groups = new Map<string, number>();
  const groupSize: number[] = [];
  const members: { project: number; utility: number }[][] = [];
  for (const ballot of election.ballots) {
    const entries = ballotUtilities(ballot, sat, index, pointScale, costs);
    const key = entries.map((e) => `${e.project}:${e.utility}`).join(',');
    const g = groups.get(key);
    if (g !== undefined) groupSize[g]++;
    else {
      groups.set(key, groupSize.length);
      groupSize.push(1);
      members.push(entries);
    }
  }

  const m = ids.length;
  const supp: number[][] = Array.from({ length: m }, () => []);
  const util: number[][] = Array.from({ length: m }, () => []);
  members.forEach((entries, g) => {
    for (const e of entries) {
      supp[e.project].push(g);
      util[e.project].push(e.utility);
    }
  });
  const supporterCount = supp.map((s) => s.reduce((acc, g) => acc + groupSize[g], 0));
  const totalUtility = util.map((u, p) => u.reduce((acc, x, i) => acc + BigInt(x) * BigInt(groupSize[supp[p][i]]), 0n));
  const totalSatisfaction = sat === 'cost' ? supporterCount.map((c, p) => BigInt(c) * costs[p]) : totalUtility;
  return {
    ids,
    sat,
    scale,
    budget: (election.budget.num * scale) / election.budget.den,
    costs,
    voters: election.ballots.length,
    groupSize: Float64Array.from(groupSize),
    supporters: supp.map((s) => Int32Array.from(s)),
    utilities: util.map((u) => (u.every((x) => x === 1) ? undefined : Int32Array.from(u))),
    supporterCount,
    totalSatisfaction,
    utilityScale: pointScale,
    keyScale: costs.map((c) => (sat === 'cost' ? c : 1n)),
  };
}

interface Entry {
  readonly project: number;
  readonly utility: number;
}

/** The (project, utility > 0) pairs of one ballot, sorted by project. Approval sets drop duplicates. */
function ballotUtilities(
  ballot: Election['ballots'][number],
  sat: Satisfaction,
  index: ReadonlyMap<string, number>,
  pointScale: bigint,
  costs: readonly bigint[],
): Entry[] {
  const out = new Map<number, number>();
  const items = ballot.items;
  items.forEach((id, pos) => {
    const p = index.get(id);
    if (p === undefined) throw new AllocationError('ALLOCATION.INVALID_ELECTION', `A ballot names unknown project "${id}"`);
    if (out.has(p)) return;
    switch (sat) {
      case 'cardinality':
        out.set(p, 1);
        break;
      case 'cost':
        // Cost utilities are cost(p) for every approver: MES runs them as unit utilities
        // compared per unit of cost (keyScale). A free project gives no satisfaction.
        out.set(p, costs[p] > 0n ? 1 : 0);
        break;
      case 'points': {
        const pts = ballot.points?.[pos] ?? Rational.ZERO;
        out.set(p, safeInt((pts.num * pointScale) / pts.den));
        break;
      }
      case 'borda':
        out.set(p, items.length - pos - 1);
        break;
    }
  });
  return [...out.entries()]
    .filter(([, u]) => u > 0)
    .sort((a, b) => a[0] - b[0])
    .map(([project, utility]) => ({ project, utility }));
}

function pointsScale(election: Election): bigint {
  let k = 1n;
  for (const b of election.ballots) for (const p of b.points ?? []) k = lcm(k, p.den);
  return k;
}

function safeInt(x: bigint): number {
  if (x > BigInt(Number.MAX_SAFE_INTEGER) / 1_000_000n) {
    throw new AllocationError('ALLOCATION.INVALID_ELECTION', 'Points are too large or too finely divided');
  }
  return Number(x);
}
