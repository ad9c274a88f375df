import { AllocationError } from '../allocation.errors';
import type { Ballot, Election } from '../election/election';
import { lcm, Rational } from '../rational/rational';
import type { Satisfaction } from './satisfaction';

/** What greedy needs of an election: money scaled to integers and each project's support. */
export interface Tally {
  readonly ids: readonly string[];
  readonly sat: Satisfaction;
  /** Money unit: one currency unit is `scale` internal units. */
  readonly scale: bigint;
  readonly budget: bigint;
  readonly costs: readonly bigint[];
  /** Per project: number of supporting voters. */
  readonly supporterCount: readonly number[];
  /** Per project: total satisfaction S(p), in scaled units (greedy's numerator). */
  readonly totalSatisfaction: readonly bigint[];
}

/**
 * An election compiled for one satisfaction function: integers only, voters with identical
 * ballots merged into one weighted group. Money is scaled by `scale` (the lcm of the budget's and
 * costs' denominators) and utilities by a common factor, which changes no comparison any rule
 * makes. Built once and shared by every MES run of an iterated rule.
 */
export interface Profile extends Tally {
  /** Number of voters n (every ballot, even an empty one). */
  readonly voters: number;
  /** Voters per group. */
  readonly groupSize: Float64Array;
  /** Per project: the groups that support it (utility > 0). */
  readonly supporters: readonly Int32Array[];
  /** Per project, parallel to `supporters`: the group's utility; `undefined` when every utility is 1. */
  readonly utilities: readonly (Int32Array | undefined)[];
  /** True when every utility is 1 (cardinality, cost): MES then keeps budget classes sorted once for all projects. */
  readonly unit: boolean;
  /** Per group, CSR: the projects it supports are `groupProjects[groupStart[g] .. groupStart[g + 1])`. */
  readonly groupStart: Int32Array;
  readonly groupProjects: Int32Array;
  /** Utilities are real utilities times this (points may be fractions). */
  readonly utilityScale: bigint;
  /** Per project: MES compares `payment per unit utility / keyScale` (the cost for `cost`, else 1). */
  readonly keyScale: readonly bigint[];
}

const CACHE = new WeakMap<Election, Map<Satisfaction, Profile>>();

/**
 * The compiled profile of an election for `sat`, built on first use and kept as long as the
 * election object lives (an Election is immutable), so several rules on one election (an
 * auditor recomputing every rule, the bench) compile its ballots once.
 */
export function profileOf(election: Election, sat: Satisfaction): Profile {
  let bySat = CACHE.get(election);
  if (!bySat) CACHE.set(election, (bySat = new Map()));
  let profile = bySat.get(sat);
  if (!profile) bySat.set(sat, (profile = fromSibling(bySat, sat) ?? compileProfile(election, sat)));
  return profile;
}

const TALLIES = new WeakMap<Election, Map<Satisfaction, Tally>>();

/**
 * Greedy's view of an election: the compiled profile if one exists, else a plain count of
 * support per project (no grouping of ballots), also kept per election object.
 */
export function tallyOf(election: Election, sat: Satisfaction): Tally {
  const profile = CACHE.get(election)?.get(sat);
  if (profile) return profile;
  let bySat = TALLIES.get(election);
  if (!bySat) TALLIES.set(election, (bySat = new Map()));
  let tally = bySat.get(sat);
  if (!tally) bySat.set(sat, (tally = countSupport(election, sat)));
  return tally;
}

function countSupport(election: Election, sat: Satisfaction): Tally {
  const { ids, scale, costs, budget, ballotEntry } = reader(election, sat);
  const supporterCount = new Array<number>(ids.length).fill(0);
  const totalUtility = new Array<number>(ids.length).fill(0);
  for (const ballot of election.ballots) {
    const e = ballotEntry(ballot);
    e.projects.forEach((p, i) => {
      supporterCount[p]++;
      totalUtility[p] += e.utilities?.[i] ?? 1;
    });
  }
  return {
    ids,
    sat,
    scale,
    budget,
    costs,
    supporterCount,
    totalSatisfaction: satisfactionTotals(sat, supporterCount, totalUtility, costs),
  };
}

/** Money scaled to integers, and how to read one ballot's supported projects for `sat`. */
function reader(election: Election, sat: Satisfaction) {
  const ids = election.projects.map((p) => p.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const scale = election.projects.reduce((acc, p) => lcm(acc, p.cost.den), election.budget.den);
  const costs = election.projects.map((p) => (p.cost.num * scale) / p.cost.den);
  const budget = (election.budget.num * scale) / election.budget.den;
  const pointScale = sat === 'points' ? pointsScale(election) : 1n;
  const approval = sat === 'cardinality' || sat === 'cost';
  const ballotEntry = (ballot: Ballot): Entry =>
    approval ? approvedProjects(ballot.items, index, sat === 'cost' ? costs : undefined) : ballotUtilities(ballot, sat, index, pointScale);
  return { ids, scale, costs, budget, pointScale, approval, ballotEntry };
}

function satisfactionTotals(sat: Satisfaction, supporterCount: number[], totalUtility: number[], costs: readonly bigint[]): bigint[] {
  return sat === 'cost' ? supporterCount.map((c, p) => BigInt(c) * costs[p]) : totalUtility.map((u) => BigInt(safeInt(u)));
}

/**
 * Cardinality and cost satisfaction group the same approval ballots the same way unless a
 * project is free (cost utility 0 drops it from ballots), so one can reuse the other's groups.
 */
function fromSibling(bySat: ReadonlyMap<Satisfaction, Profile>, sat: Satisfaction): Profile | undefined {
  const other = sat === 'cost' ? bySat.get('cardinality') : sat === 'cardinality' ? bySat.get('cost') : undefined;
  if (!other || other.costs.some((c) => c === 0n)) return undefined;
  return {
    ...other,
    sat,
    totalSatisfaction: sat === 'cost' ? other.supporterCount.map((n, p) => BigInt(n) * other.costs[p]) : other.supporterCount.map(BigInt),
    keyScale: sat === 'cost' ? other.costs : other.costs.map(() => 1n),
  };
}

/** Compiles an election for `sat`. The caller has checked that `sat` applies to the vote type. */
export function compileProfile(election: Election, sat: Satisfaction): Profile {
  const { ids, scale, costs, budget, pointScale, approval, ballotEntry } = reader(election, sat);

  // Group identical ballots: same supported projects with the same utilities.
  const groups = new Map<string, number>();
  const groupSize: number[] = [];
  const members: Entry[] = [];
  // A sorted project set as one UTF-16 unit per project: exact while indexes fit in 16 bits.
  const compact = ids.length <= 0x10000;
  for (const ballot of election.ballots) {
    const e = ballotEntry(ballot);
    const key = approval && compact ? String.fromCharCode(...e.projects) : `${e.projects.join(',')}:${e.utilities?.join(',')}`;
    const g = groups.get(key);
    if (g !== undefined) groupSize[g]++;
    else {
      groups.set(key, groupSize.length);
      groupSize.push(1);
      members.push(e);
    }
  }

  const m = ids.length;
  const supp: number[][] = Array.from({ length: m }, () => []);
  const util: number[][] = Array.from({ length: m }, () => []);
  const supporterCount = new Array<number>(m).fill(0);
  const totalUtility = new Array<number>(m).fill(0);
  members.forEach((e, g) => {
    e.projects.forEach((p, i) => {
      supp[p].push(g);
      util[p].push(e.utilities?.[i] ?? 1);
      supporterCount[p] += groupSize[g];
      totalUtility[p] += groupSize[g] * (e.utilities?.[i] ?? 1);
    });
  });
  const totalSatisfaction = satisfactionTotals(sat, supporterCount, totalUtility, costs);
  return {
    ids,
    sat,
    scale,
    budget,
    costs,
    voters: election.ballots.length,
    groupSize: Float64Array.from(groupSize),
    ...supportersByUtility(supp, util),
    unit: util.every((u) => u.every((x) => x === 1)),
    ...groupIndex(members),
    supporterCount,
    totalSatisfaction,
    utilityScale: pointScale,
    keyScale: costs.map((c) => (sat === 'cost' ? c : 1n)),
  };
}

/** One ballot's supported projects (ascending) and parallel utilities (> 0; none: all 1). */
interface Entry {
  readonly projects: number[];
  readonly utilities?: number[];
}

/** Approval fast path: the distinct approved projects, utility 1 (with `freeless`, free projects dropped: cost utility 0). */
function approvedProjects(items: readonly string[], index: ReadonlyMap<string, number>, freeless?: readonly bigint[]): Entry {
  const projects: number[] = [];
  for (const id of items) {
    const p = index.get(id);
    if (p === undefined) throw unknownProject(id);
    if (freeless && freeless[p] === 0n) continue;
    // Insertion into the sorted, duplicate-free list (ballots are short).
    let i = projects.length;
    while (i > 0 && projects[i - 1] > p) i--;
    if (i > 0 && projects[i - 1] === p) continue;
    projects.splice(i, 0, p);
  }
  return { projects };
}

/** Points or Borda utilities of one ballot; a repeated project counts once (its first place). */
function ballotUtilities(ballot: Ballot, sat: Satisfaction, index: ReadonlyMap<string, number>, pointScale: bigint): Entry {
  const out = new Map<number, number>();
  const items = ballot.items;
  items.forEach((id, pos) => {
    const p = index.get(id);
    if (p === undefined) throw unknownProject(id);
    if (out.has(p)) return;
    if (sat === 'borda') out.set(p, items.length - pos - 1);
    else {
      const pts = ballot.points?.[pos] ?? Rational.ZERO;
      out.set(p, safeInt((pts.num * pointScale) / pts.den));
    }
  });
  const kept = [...out.entries()].filter(([, u]) => u > 0).sort((a, b) => a[0] - b[0]);
  return { projects: kept.map(([p]) => p), utilities: kept.map(([, u]) => u) };
}

function unknownProject(id: string): AllocationError {
  return new AllocationError('ALLOCATION.INVALID_ELECTION', `A ballot names unknown project "${id}"`);
}

/** Supporter lists, ordered by utility (so MES can aggregate one utility at a time); no utilities when all are 1. */
function supportersByUtility(supp: number[][], util: number[][]) {
  const supporters: Int32Array[] = [];
  const utilities: (Int32Array | undefined)[] = [];
  supp.forEach((s, p) => {
    if (util[p].every((x) => x === 1)) {
      supporters.push(Int32Array.from(s));
      utilities.push(undefined);
      return;
    }
    const order = s.map((_, i) => i).sort((a, b) => util[p][a] - util[p][b]);
    supporters.push(Int32Array.from(order, (i) => s[i]));
    utilities.push(Int32Array.from(order, (i) => util[p][i]));
  });
  return { supporters, utilities };
}

function groupIndex(members: readonly Entry[]): { groupStart: Int32Array; groupProjects: Int32Array } {
  const groupStart = new Int32Array(members.length + 1);
  members.forEach((e, g) => (groupStart[g + 1] = groupStart[g] + e.projects.length));
  const groupProjects = new Int32Array(groupStart[members.length]);
  members.forEach((e, g) => groupProjects.set(e.projects, groupStart[g]));
  return { groupStart, groupProjects };
}

function pointsScale(election: Election): bigint {
  let k = 1n;
  for (const b of election.ballots) for (const p of b.points ?? []) k = lcm(k, p.den);
  return k;
}

function safeInt(x: bigint | number): number {
  if (x > Number.MAX_SAFE_INTEGER / 1_000_000) {
    throw new AllocationError('ALLOCATION.INVALID_ELECTION', 'Points are too large or too finely divided');
  }
  return Number(x);
}
