import { gcd } from '../rational/rational';
import type { Profile } from './profile';

/** A budget as an affine function of the steps τ the start budget is raised: `(a + s·τ) / D`, D shared by every form of a run. */
interface Form {
  a: bigint;
  s: bigint;
}

/** The smallest bound seen so far on τ (exclusive), `num / den`; `undefined`: none yet. */
class Bound {
  num?: bigint;
  den = 1n;
  /** τ < `num / den` (den > 0). */
  below(num: bigint, den: bigint): void {
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    if (this.num === undefined || num * this.den < this.num * den) {
      this.num = num;
      this.den = den;
    }
  }
  /** Keeps `c + d·τ > 0` for τ ≥ 0, given c > 0. */
  positive(c: bigint, d: bigint): void {
    if (d < 0n) this.below(c, -d);
  }
}

const sign = (x: bigint) => (x < 0n ? -1 : x > 0n ? 1 : 0);

/**
 * How many further steps of an iterated MES's start budget are proven to give the very same
 * run as the one at `b0num / b0den`, which selected `selected` (free projects first, then MES's
 * choices in order): 0 when none is proven.
 *
 * With every voter starting at x + τ·step, every budget, price and affordability of a run is an
 * affine function of τ for as long as every decision of the run (who pays all they have for each
 * candidate, which candidates are affordable, which candidate is cheapest per unit of
 * satisfaction) stays the same, and each decision is the sign of an affine function. Replaying
 * the run with those functions, this finds the first τ at which any of them reaches zero; every
 * whole step before it gives the same decisions, so the same selection, cost and exhaustiveness.
 * A tie between candidates at τ = 0 is kept only if the loser never gets cheaper than the
 * winner (equal prices for equal supporters, often: the tie-break decides alike at every τ); any
 * other equality at τ = 0 proves nothing (0 is returned), and neither does a replay that does not
 * select `selected` exactly (it always should).
 *
 * Exact integer arithmetic throughout; it costs about as much as one run times the number of
 * candidates, so {@link runMesCompleted} calls it only where runs add up.
 */
export function stableSteps(
  profile: Profile,
  b0num: bigint,
  b0den: bigint,
  stepNum: bigint,
  rank: Int32Array,
  selected: readonly number[],
): number {
  const m = profile.ids.length;
  const groups = profile.groupSize.length;
  const chosen: number[] = [];
  const alive: number[] = [];
  for (let p = 0; p < m; p++) {
    if (profile.supporterCount[p] === 0) continue;
    if (profile.costs[p] === 0n) continue;
    alive.push(p);
  }
  const expected = selected.filter((p) => profile.costs[p] !== 0n);
  // Budget forms, shared by every group with the same history; form 0 is "no money left".
  let forms: Form[] = [
    { a: 0n, s: 0n },
    { a: b0num, s: stepNum },
  ];
  let D = b0den;
  const formOf = new Int32Array(groups).fill(1);
  const bound = new Bound();
  const weight = new Float64Array(2 + groups);
  let candidates = alive;

  while (candidates.length > 0) {
    let best = -1;
    let bestRa = 0n;
    let bestRs = 0n;
    let bestW = 0n;
    let bestKs = 1n;
    const priced: { p: number; ra: bigint; rs: bigint; w: bigint }[] = [];
    const next: number[] = [];
    for (const q of candidates) {
      const entries = aggregate(profile, q, formOf, weight);
      const cost = profile.costs[q] * D;
      let ma = 0n;
      let ms = 0n;
      for (const e of entries) {
        ma += e.w * forms[e.f].a;
        ms += e.w * forms[e.f].s;
      }
      const affordable = sign(ma - cost);
      if (affordable === 0) return 0;
      if (affordable < 0) {
        // Retired for good at this round: it must stay unaffordable.
        bound.positive(cost - ma, -ms);
        continue;
      }
      bound.positive(ma - cost, ms);
      next.push(q);
      // The price at τ = 0: walk supporters by budget per utility, ascending.
      entries.sort((x, y) => sign(forms[x.f].a * BigInt(y.u) - forms[y.f].a * BigInt(x.u)));
      let ra = cost;
      let rs = 0n;
      let w = 0n;
      for (const e of entries) w += e.w * BigInt(e.u);
      let capped = 0;
      for (; capped < entries.length; capped++) {
        const e = entries[capped];
        const f = forms[e.f];
        if (f.a * w >= ra * BigInt(e.u)) break;
        ra -= e.w * f.a;
        rs -= e.w * f.s;
        w -= e.w * BigInt(e.u);
      }
      if (w === 0n) return 0; // cannot be with money above the cost; prove nothing
      // Who pays all they have and who pays the price must stay so, strictly.
      entries.forEach((e, i) => {
        const f = forms[e.f];
        const u = BigInt(e.u);
        const c = u * ra - f.a * w;
        const d = u * rs - f.s * w;
        const side = i < capped ? 1 : -1;
        if (sign(c) !== side) bound.below(0n, 1n);
        else bound.positive(BigInt(side) * c, BigInt(side) * d);
      });
      priced.push({ p: q, ra, rs, w });
      const ks = profile.keyScale[q];
      const l = ra * bestW * bestKs;
      const r = bestRa * w * ks;
      if (best < 0 || l < r || (l === r && rank[q] < rank[best])) {
        best = q;
        bestRa = ra;
        bestRs = rs;
        bestW = w;
        bestKs = ks;
      }
    }
    if (best < 0) break;
    // Every other candidate must stay strictly dearer per unit of satisfaction than the best.
    for (const { p, ra, rs, w } of priced) {
      if (p === best) continue;
      const ks = profile.keyScale[p];
      const c = ra * bestW * bestKs - bestRa * w * ks;
      const d = rs * bestW * bestKs - bestRs * w * ks;
      // Equal at τ = 0 (the tie-break chose the best): fine if it never gets cheaper than the best.
      if (c < 0n || (c === 0n && d < 0n)) return 0;
      if (c > 0n) bound.positive(c, d);
    }
    if (bound.num !== undefined && bound.num <= bound.den) return 0; // not one whole step
    if (expected[chosen.length] !== best) return 0;
    chosen.push(best);
    // Pay: those who paid all they had have nothing; the others pay ρ·u. Rescale every form to D·W/g.
    const g = gcd(gcd(bestW, bestRa), bestRs);
    const f = bestW / g;
    const ra = bestRa / g;
    const rs = bestRs / g;
    const util = profile.utilities[best];
    const supp = profile.supporters[best];
    // Per old form and utility, the new form (kept forms are rescaled once, below).
    const moved = new Map<number, Map<number, number>>();
    const fresh: Form[] = [];
    for (let i = 0; i < supp.length; i++) {
      const grp = supp[i];
      const old = formOf[grp];
      if (old === 0) continue;
      const u = util ? util[i] : 1;
      let byU = moved.get(old);
      if (!byU) moved.set(old, (byU = new Map()));
      let t = byU.get(u);
      if (t === undefined) {
        const x = forms[old];
        const U = BigInt(u);
        // Capped (a·W < u·R at τ = 0, kept strictly): nothing left; else a − u·ρ, over D·f.
        t = x.a * bestW < U * bestRa ? 0 : -1 - (fresh.push({ a: x.a * f - U * ra, s: x.s * f - U * rs }) - 1);
        byU.set(u, t);
      }
      formOf[grp] = t;
    }
    // Keep only the forms some group still has: old ones rescaled, then the new ones.
    const index = new Map<number, number>();
    const kept: Form[] = [forms[0]];
    for (let grp = 0; grp < groups; grp++) {
      const old = formOf[grp];
      if (old === 0) continue;
      let t = index.get(old);
      if (t === undefined) {
        const x = old > 0 ? forms[old] : undefined;
        t = kept.push(x ? { a: x.a * f, s: x.s * f } : fresh[-1 - old]) - 1;
        index.set(old, t);
      }
      formOf[grp] = t;
    }
    forms = kept;
    D *= f;
    candidates = next.filter((q) => q !== best);
  }
  if (chosen.length !== expected.length || bound.num === undefined) return 0;
  // Steps τ = 1, 2, ... strictly below num/den.
  const ceil = (bound.num + bound.den - 1n) / bound.den;
  const steps = ceil - 1n;
  return steps <= 0n ? 0 : Number(steps > 2n ** 40n ? 2n ** 40n : steps);
}

/** Supporters of q by (budget form, utility), with their voters; groups with nothing left are left out. */
function aggregate(profile: Profile, q: number, formOf: Int32Array, weight: Float64Array): { f: number; u: number; w: bigint }[] {
  const supp = profile.supporters[q];
  const util = profile.utilities[q];
  const out: { f: number; u: number; w: bigint }[] = [];
  // Supporters come ordered by utility: aggregate each utility's block by form.
  const touched: number[] = [];
  for (let start = 0; start < supp.length;) {
    const u = util ? util[start] : 1;
    let end = start;
    for (; end < supp.length && (util ? util[end] : 1) === u; end++) {
      const f = formOf[supp[end]];
      if (f === 0) continue;
      if (weight[f] === 0) touched.push(f);
      weight[f] += profile.groupSize[supp[end]];
    }
    for (const f of touched) {
      out.push({ f, u, w: BigInt(weight[f]) });
      weight[f] = 0;
    }
    touched.length = 0;
    start = end;
  }
  return out;
}
