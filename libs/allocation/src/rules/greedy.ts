import type { Tally } from './profile';

/** One project's step in the greedy walk: its rank (1 = first) and the money left when reached (scaled). */
export interface GreedyStep {
  readonly rank: number;
  readonly remainingBefore: bigint;
  readonly fitted: boolean;
}

export interface GreedyOutcome {
  readonly selected: number[];
  readonly cost: bigint;
  readonly steps: Map<number, GreedyStep>;
}

/**
 * Greedy utilitarian welfare (RULES.md §1): projects by density S(p)/cost(p) descending (a free
 * supported project first, unsupported ones last), ties by the tie-break rank; fund each
 * project that still fits, skipping the rest. With `initial`, those stay funded and the walk
 * starts with what they left (the completion step of §5).
 */
export function runGreedy(profile: Tally, rank: Int32Array, initial: readonly number[] = []): GreedyOutcome {
  const order = greedyOrder(profile, rank);
  const chosen = new Set(initial);
  const selected = [...initial];
  let cost = initial.reduce((acc, p) => acc + profile.costs[p], 0n);
  let remaining = profile.budget - cost;
  const steps = new Map<number, GreedyStep>();
  order.forEach((p, i) => {
    if (chosen.has(p)) return;
    const fitted = profile.costs[p] <= remaining;
    steps.set(p, { rank: i + 1, remainingBefore: remaining, fitted });
    if (fitted) {
      selected.push(p);
      remaining -= profile.costs[p];
      cost += profile.costs[p];
    }
  });
  return { selected, cost, steps };
}

/** Every project, best density first. */
export function greedyOrder(profile: Tally, rank: Int32Array): number[] {
  const s = profile.totalSatisfaction;
  const c = profile.costs;
  const tier = (p: number) => (s[p] > 0n ? (c[p] === 0n ? 2 : 1) : 0);
  return profile.ids
    .map((_, p) => p)
    .sort((a, b) => {
      const t = tier(b) - tier(a);
      if (t !== 0) return t;
      if (tier(a) === 1) {
        const l = s[a] * c[b];
        const r = s[b] * c[a];
        if (l !== r) return l > r ? -1 : 1;
      }
      return rank[a] - rank[b];
    });
}
