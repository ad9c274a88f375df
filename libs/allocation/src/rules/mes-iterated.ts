import { runMes, type MesOutcome } from './mes-run';
import { stableSteps } from './mes-stable';
import type { Profile } from './profile';

/** The outcome an iterated MES returns, with the per-voter start budget (scaled, `num/den`) that produced it. */
export interface IteratedOutcome extends MesOutcome {
  readonly b0num: bigint;
  readonly b0den: bigint;
  /** MES runs made (the last may have gone over budget and been discarded). */
  readonly runs: number;
}

/** How MES is completed when plain MES leaves money unspent. */
export type Completion = 'plain' | 'add1' | 'budgetinc';

/**
 * Plain MES, or one of the two iterated variants:
 * - `add1` (RULES.md §3): raise every voter's start budget by one currency unit until the
 *   outcome is exhaustive among MES candidates, or one step went over budget (then the last
 *   outcome within budget is returned);
 * - `budgetinc` (§4): run as if the budget were B + k·B/100, k = 0, 1, ..., until the outcome is
 *   exhaustive among all projects, over budget, or past B·(n+1).
 * Every run restarts from scratch, as the definition does. `add1` raises budgets by one unit, so
 * where the budget is large next to n·unit it takes many thousands of runs, most repeating the
 * run before: runs proven (by {@link stableSteps}) to repeat it exactly are skipped, and the
 * outcome, including its start budget and run count, is the literal iteration's.
 */
export function runMesCompleted(profile: Profile, rank: Int32Array, completion: Completion): IteratedOutcome {
  const n = BigInt(profile.voters);
  const B = profile.budget;
  if (n === 0n) return { selected: runMes(profile, 0n, 1n, rank).selected, cost: 0n, b0num: 0n, b0den: 1n, runs: 1 };
  if (completion === 'plain') return { ...runMes(profile, B, n, rank), b0num: B, b0den: n, runs: 1 };

  const candidates = profile.ids.map((_, p) => p).filter((p) => completion === 'budgetinc' || isMesCandidate(profile, p));
  const start: number[] = completion === 'add1' ? freeSupported(profile, rank) : [];
  let previous: IteratedOutcome = {
    selected: start,
    cost: 0n,
    b0num: B,
    b0den: n,
    runs: 0,
  };
  // add1: after a run that does not stop, the steps proven to repeat it exactly are skipped
  // (each would have made the same selection, so none would have stopped either). Proofs that
  // skip little are tried less often; which runs are tried never changes the outcome.
  let gap = 1n;
  let nextProof = 0n;
  // A proof prices every candidate in every round, a run only the cheapest few: with many groups
  // of voters it costs a few dozen runs, and one that skips fewer is tried half as often.
  const worth = BigInt(Math.min(32, Math.max(1, Math.floor(profile.groupSize.length / 32))));
  for (let k = 0n; ; k++) {
    // add1: b0 = B/n + k units; budgetinc: b0 = B·(100 + k) / (100·n).
    const [num, den] = completion === 'add1' ? [B + k * profile.scale * n, n] : [B * (100n + k), 100n * n];
    if (completion === 'budgetinc' && 100n + k > 100n * (n + 1n)) return previous;
    const outcome: IteratedOutcome = { ...runMes(profile, num, den, rank), b0num: num, b0den: den, runs: Number(k) + 1 };
    if (outcome.cost > B) return { ...previous, runs: outcome.runs };
    if (isExhaustive(profile, outcome, candidates)) return outcome;
    if (B === 0n) return outcome;
    previous = outcome;
    if (completion === 'add1' && k >= nextProof) {
      const skip = BigInt(stableSteps(profile, num, den, profile.scale * n, rank, outcome.selected));
      if (skip > 0n) {
        k += skip;
        previous = { ...outcome, b0num: B + k * profile.scale * n, runs: Number(k) + 1 };
      }
      gap = skip >= worth ? 1n : gap < 1024n ? gap * 2n : gap;
      nextProof = k + gap;
    }
  }
}

/** MES candidates: supported projects that cost something. */
function isMesCandidate(profile: Profile, p: number): boolean {
  return profile.supporterCount[p] > 0 && profile.costs[p] > 0n;
}

function freeSupported(profile: Profile, rank: Int32Array): number[] {
  return profile.ids
    .map((_, p) => p)
    .filter((p) => profile.supporterCount[p] > 0 && profile.costs[p] === 0n)
    .sort((a, b) => rank[a] - rank[b]);
}

/** No project of `among` outside the outcome still fits in what the outcome leaves. */
export function isExhaustive(profile: Profile, outcome: MesOutcome, among: readonly number[]): boolean {
  const remaining = profile.budget - outcome.cost;
  const chosen = new Set(outcome.selected);
  return !among.some((p) => !chosen.has(p) && profile.costs[p] <= remaining);
}
