import { toKey, type BudgetClasses } from './mes-state';
import type { Profile } from './profile';

/** A payment per unit of utility, `num / den` internal money units; `undefined` = unaffordable. */
export interface Price {
  readonly num: bigint;
  readonly den: bigint;
}

/** Reusable scratch space for {@link priceOf}: voters per class. */
export class Scratch {
  weight = new Float64Array(64);
  ensure(n: number): Float64Array {
    if (this.weight.length < n) this.weight = new Float64Array(Math.max(n, this.weight.length * 2));
    return this.weight;
  }
}

/**
 * The smallest ρ with Σ_{i∈N(p)} min(b_i, ρ·u_i) = cost(p) (RULES.md §2.3a), or `undefined`
 * when the supporters' money is strictly less than the cost. Walks supporters by b_i/u_i
 * ascending; the first who can pay r·u_i fixes ρ = r, everyone before pays all they have.
 */
export function priceOf(profile: Profile, classes: BudgetClasses, p: number, scratch: Scratch): Price | undefined {
  return !profile.unit ? priceWeighted(profile, classes, p, scratch) : priceUnit(profile, classes, p, scratch);
}

/** Unit utilities: group supporters by budget class, then walk the globally sorted classes. */
function priceUnit(profile: Profile, classes: BudgetClasses, p: number, scratch: Scratch): Price | undefined {
  if (classes.count === 2) {
    // Nobody has paid yet: every supporter still holds the start budget.
    const n = BigInt(profile.supporterCount[p]);
    const x = profile.costs[p] * classes.den;
    return x <= classes.scaled(1) * n ? { num: x, den: classes.den * n } : undefined;
  }
  const w = scratch.ensure(classes.count);
  const supp = profile.supporters[p];
  const size = profile.groupSize;
  const gc = classes.groupClass;
  let denom = 0;
  for (let i = 0; i < supp.length; i++) {
    const c = gc[supp[i]];
    if (c !== 0) {
      w[c] += size[supp[i]];
      denom += size[supp[i]];
    }
  }
  const result = denom > 0 ? walk(classes, profile.costs[p] * classes.den, denom, w) : undefined;
  for (let i = 0; i < supp.length; i++) w[gc[supp[i]]] = 0;
  return result;
}

/**
 * The price walk over the classes in ascending budget order, with `w[c]` supporters in class c.
 * A class whose key is clearly below r's (r only grows along the walk, so a stale r still
 * bounds it from below) surely pays everything: its budget is summed per epoch, without the
 * bigint product that brings it over the common denominator. Only classes near r are compared
 * exactly.
 */
function walk(classes: BudgetClasses, target: bigint, denom: number, w: Float64Array): Price | undefined {
  const { num, epoch, key, fac, margin, shift } = classes;
  const acc = new Array<bigint>(fac.length).fill(0n);
  let paid = 0n;
  let fresh = true; // whether `paid` includes everything in `acc`
  let rKey = toKey((target << shift) / (classes.den * BigInt(denom)));
  for (const c of classes.sorted) {
    const wc = w[c];
    if (wc === 0) continue;
    if (key[c] < rKey - margin) {
      acc[epoch[c]] += num[c] * BigInt(wc);
      fresh = false;
      denom -= wc;
      if (denom === 0) return undefined;
      continue;
    }
    if (!fresh) {
      paid = acc.reduce((sum, a, e) => (a === 0n ? sum : sum + a * fac[e]), 0n);
      fresh = true;
    }
    const x = target - paid;
    const b = classes.scaled(c);
    if (x <= b * BigInt(denom)) return { num: x, den: classes.den * BigInt(denom) };
    acc[epoch[c]] += num[c] * BigInt(wc);
    fresh = false;
    denom -= wc;
    if (denom === 0) return undefined;
    rKey = toKey(((x - b * BigInt(wc)) << shift) / (classes.den * BigInt(denom)));
  }
  return undefined;
}

/**
 * General utilities: aggregate supporters by (class, utility), then settle who pays everything
 * by a fixed point instead of a sort: anyone with b < r·u at the current r also has b < ρ·u
 * (r only grows as such supporters drop out), so all of them drop out together.
 */
function priceWeighted(profile: Profile, classes: BudgetClasses, p: number, scratch: Scratch): Price | undefined {
  const supp = profile.supporters[p];
  const util = profile.utilities[p];
  const size = profile.groupSize;
  const gc = classes.groupClass;
  // Supporters come ordered by utility: aggregate each utility's block by class.
  const w = scratch.ensure(classes.count);
  const touched: number[] = [];
  let active: { b: bigint; u: number; w: number }[] = [];
  let denom = 0;
  for (let start = 0; start < supp.length;) {
    const u = util ? util[start] : 1;
    let end = start;
    for (; end < supp.length && (util ? util[end] : 1) === u; end++) {
      const c = gc[supp[end]];
      if (c === 0) continue;
      if (w[c] === 0) touched.push(c);
      w[c] += size[supp[end]];
      denom += size[supp[end]] * u;
    }
    for (const c of touched) {
      active.push({ b: classes.scaled(c), u, w: w[c] });
      w[c] = 0;
    }
    touched.length = 0;
    start = end;
  }
  const target = profile.costs[p] * classes.den;
  let paid = 0n;
  while (denom > 0) {
    const x = target - paid;
    const d = BigInt(denom);
    const keep: typeof active = [];
    for (const e of active) {
      if (e.b * d < x * BigInt(e.u)) {
        paid += e.b * BigInt(e.w);
        denom -= e.w * e.u;
      } else keep.push(e);
    }
    if (keep.length === active.length) return { num: x, den: classes.den * d };
    active = keep;
  }
  return undefined;
}
