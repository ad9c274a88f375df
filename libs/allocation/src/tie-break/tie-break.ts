// A synchronous SHA-256 that runs in Node and in a browser alike (the certificate is re-run in both).
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { AllocationError } from '../allocation.errors';
import type { Rational } from '../rational/rational';

/**
 * How ties between projects are broken.
 * - `lexico`: smallest project id as a plain string, code unit by code unit (`"11" < "2"`):
 *   the research reference's default, used to check conformance with `expected.json`.
 * - `equalshares`: the order equalshares.net recommends for real elections: lowest cost, then
 *   most supporters, then a lot drawn before counting: SHA-256 of `seed + ":" + id`, smallest
 *   first (needs a recorded `seed`).
 * - `order`: a list of project ids given with the election, first wins (e.g. the order of the
 *   proposals' public numbers); projects the list does not name come after, in `lexico` order.
 */
export const TIE_BREAKS = ['lexico', 'equalshares', 'order'] as const;
export type TieBreak = (typeof TIE_BREAKS)[number];

/** Plain code-unit string order (never `localeCompare`, never numeric). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The lot of a project under the `equalshares` order: hex SHA-256 of `seed:id`. */
export function lot(seed: string, id: string): string {
  return bytesToHex(sha256(utf8ToBytes(`${seed}:${id}`)));
}

interface RankInput {
  readonly ids: readonly string[];
  readonly costs: readonly Rational[];
  /** Number of voters supporting each project (the "votes" of the equalshares.net order). */
  readonly supporters: readonly number[];
}

/**
 * Ranks projects by the tie-break order: `rank[i]` is project i's position (0 = wins every
 * tie). A total order, so every outcome is deterministic.
 */
export function tieBreakRanks(input: RankInput, tieBreak: TieBreak, seed?: string, order?: readonly string[]): Int32Array {
  const idx = input.ids.map((_, i) => i);
  if (tieBreak === 'lexico') {
    idx.sort((a, b) => compareIds(input.ids[a], input.ids[b]));
  } else if (tieBreak === 'order') {
    if (order === undefined)
      throw new AllocationError('ALLOCATION.ORDER_REQUIRED', 'The order tie-break needs the list of project ids in order');
    const place = new Map(order.map((id, i) => [id, i]));
    const at = (i: number) => place.get(input.ids[i]) ?? Number.MAX_SAFE_INTEGER;
    idx.sort((a, b) => at(a) - at(b) || compareIds(input.ids[a], input.ids[b]));
  } else {
    if (seed === undefined) {
      throw new AllocationError('ALLOCATION.SEED_REQUIRED', 'The equalshares tie-break needs a recorded seed for the lot');
    }
    const lots = input.ids.map((id) => lot(seed, id));
    idx.sort(
      (a, b) =>
        input.costs[a].cmp(input.costs[b]) ||
        input.supporters[b] - input.supporters[a] ||
        compareIds(lots[a], lots[b]) ||
        compareIds(input.ids[a], input.ids[b]),
    );
  }
  const rank = new Int32Array(idx.length);
  idx.forEach((p, r) => (rank[p] = r));
  return rank;
}
