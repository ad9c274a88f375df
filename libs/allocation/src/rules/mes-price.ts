import type { BudgetClasses } from './mes-state';
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
  return !profile.unit ? priceWeighted(profile, classes, p) : priceUnit(profile, classes, p, scratch);
}

/** Unit utilities: group supporters by budget class, then walk the globally sorted classes. */
function priceUnit(profile: Profile, classes: BudgetClasses, p: number, scratch: Scratch): Price | undefined {
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
  let result: Price | undefined;
  if (denom > 0) {
    const target = profile.costs[p] * classes.den;
    let paid = 0n;
    for (const c of classes.sorted) {
      const wc = w[c];
      if (wc === 0) continue;
      const x = target - paid;
      const b = classes.scaled(c);
      if (x <= b * BigInt(denom)) {
        result = { num: x, den: classes.den * BigInt(denom) };
        break;
      }
      paid += b * BigInt(wc);
      denom -= wc;
    }
  }
  for (let i = 0; i < supp.length; i++) w[gc[supp[i]]] = 0;
  return result;
}

/** General utilities: aggregate supporters by (class, utility), sort by budget / utility, walk. */
function priceWeighted(profile: Profile, classes: BudgetClasses, p: number): Price | undefined {
  const supp = profile.supporters[p];
  const util = profile.utilities[p];
  const size = profile.groupSize;
  const gc = classes.groupClass;
  const agg = new Map<number, { b: bigint; u: number; w: number }>();
  let denom = 0;
  for (let i = 0; i < supp.length; i++) {
    const c = gc[supp[i]];
    if (c === 0) continue;
    const u = util ? util[i] : 1;
    const key = u * classes.count + c;
    const e = agg.get(key);
    if (e) e.w += size[supp[i]];
    else agg.set(key, { b: classes.scaled(c), u, w: size[supp[i]] });
    denom += size[supp[i]] * u;
  }
  if (denom === 0) return undefined;
  const entries = [...agg.values()].sort((x, y) => {
    const l = x.b * BigInt(y.u);
    const r = y.b * BigInt(x.u);
    return l < r ? -1 : l > r ? 1 : 0;
  });
  const target = profile.costs[p] * classes.den;
  let paid = 0n;
  for (const e of entries) {
    const x = target - paid;
    if (x * BigInt(e.u) <= e.b * BigInt(denom)) return { num: x, den: classes.den * BigInt(denom) };
    paid += e.b * BigInt(e.w);
    denom -= e.w * e.u;
  }
  return undefined;
}
