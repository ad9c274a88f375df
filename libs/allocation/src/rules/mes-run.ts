import { gcd, Rational } from '../rational/rational';
import { priceOf, Scratch, type Price } from './mes-price';
import { BudgetClasses, toKey } from './mes-state';
import { SupportersMoney } from './mes-watch';
import type { Profile } from './profile';

/** What one plain MES run selected: project indexes in selection order, and their cost (scaled). */
export interface MesOutcome {
  readonly selected: number[];
  readonly cost: bigint;
}

/**
 * One group of a chosen project's supporters: `voters` who each paid the full price
 * `paidEach` (ρ times their utility), or who paid all they had left (`allTheyHad`), `total`
 * between them.
 */
export interface MesPayment {
  readonly voters: number;
  readonly allTheyHad: boolean;
  readonly paidEach?: Rational;
  readonly total: Rational;
}

/** Why MES chose a project: its round (0 = free, chosen before any round), ρ, and who paid what. */
export interface MesChoice {
  readonly round: number;
  readonly priceFactor: Rational;
  readonly payments: readonly MesPayment[];
}

/** Why MES could not choose a project: after `exhaustedBy` was paid for (none: from the start). */
export interface MesRejection {
  readonly round: number;
  readonly exhaustedBy?: number;
  readonly supportersMoney: Rational;
}

/** Filled by {@link runMes} when asked to explain. */
export interface MesTrace {
  readonly chosen: Map<number, MesChoice>;
  readonly rejected: Map<number, MesRejection>;
}

/**
 * One run of plain MES (RULES.md §2) with every voter starting at `b0num / b0den` internal
 * units. Candidates are scanned lazily: ρ never decreases during a run, so each candidate's last
 * ρ is a lower bound, and a round stops as soon as no unscanned candidate can beat the best.
 */
export function runMes(profile: Profile, b0num: bigint, b0den: bigint, rank: Int32Array, trace?: MesTrace): MesOutcome {
  const m = profile.ids.length;
  const selected: number[] = [];
  let cost = 0n;
  const free: number[] = [];
  let alive: number[] = [];
  for (let p = 0; p < m; p++) {
    if (profile.supporterCount[p] === 0) continue;
    if (profile.costs[p] === 0n) free.push(p);
    else alive.push(p);
  }
  free.sort((a, b) => rank[a] - rank[b]);
  for (const p of free) {
    selected.push(p);
    trace?.chosen.set(p, { round: 0, priceFactor: Rational.ZERO, payments: [] });
  }

  const classes = new BudgetClasses(profile, b0num, b0den);
  const scratch = new Scratch();
  // Each candidate's last ρ (a lower bound on its ρ now), exact, and floor(ρ · 2^shift) to
  // order candidates without bigint products unless the floors are equal.
  const lbNum: bigint[] = new Array<bigint>(m).fill(0n);
  const lbDen: bigint[] = new Array<bigint>(m).fill(1n);
  const lbKey = new Float64Array(m);
  const shift = priceShift(profile);
  const dead = new Uint8Array(m);
  const before = (a: number, b: number) => {
    if (lbKey[a] !== lbKey[b]) return lbKey[a] < lbKey[b];
    const l = lbNum[a] * lbDen[b];
    const r = lbNum[b] * lbDen[a];
    return l < r || (l === r && rank[a] < rank[b]);
  };
  // Supporters' money is tracked in every run, not only when explaining: the price walk alone
  // can price a project its supporters can no longer afford once one of them has paid exactly
  // all they had (found by the naive-reading property test), so unaffordable projects are
  // retired from their supporters' money before any price is taken.
  const watch = new SupportersMoney(profile, classes, b0num);
  markUnaffordable(profile, watch, alive, dead, trace, 0, undefined, classes.den);

  for (let round = 1; alive.length > 0; round++) {
    alive.sort((a, b) => (before(a, b) ? -1 : 1));
    let best = -1;
    let bestPrice: Price | undefined;
    for (const q of alive) {
      if (best >= 0 && !before(q, best)) break;
      const price = priceOf(profile, classes, q, scratch);
      if (!price) {
        dead[q] = 1;
        continue;
      }
      lbNum[q] = price.num;
      lbDen[q] = price.den * profile.keyScale[q];
      lbKey[q] = toKey((price.num << shift) / lbDen[q]);
      if (best < 0 || before(q, best)) {
        best = q;
        bestPrice = price;
      }
    }
    if (best < 0 || !bestPrice) break;
    const choice = pay(profile, classes, best, bestPrice, watch, trace !== undefined);
    selected.push(best);
    cost += profile.costs[best];
    dead[best] = 1;
    if (trace) {
      const rho = Rational.of(bestPrice.num * profile.utilityScale, bestPrice.den * profile.keyScale[best]);
      const scaled = profile.sat === 'cost' ? rho : rho.div(Rational.of(profile.scale));
      trace.chosen.set(best, { round, priceFactor: scaled, payments: choice });
    }
    markUnaffordable(profile, watch, alive, dead, trace, round, best, classes.den);
    alive = alive.filter((q) => dead[q] === 0);
  }
  return { selected, cost };
}

/** A shift that keeps floor(ρ · 2^shift) below 2^53 for every ρ of the run (ρ ≤ cost / keyScale). */
function priceShift(profile: Profile): bigint {
  let max = 1n;
  profile.costs.forEach((c, p) => {
    if (c === 0n) return; // free projects are never priced
    const r = c / profile.keyScale[p] + 1n;
    if (r > max) max = r;
  });
  return BigInt(Math.max(0, 52 - max.toString(2).length));
}

/** Every supporter of `p` pays min(b_i, ρ·u_i); returns who paid what when `explain`ing (exact rationals: not for the runs an iterated rule discards). */
function pay(profile: Profile, classes: BudgetClasses, p: number, price: Price, watch: SupportersMoney, explain: boolean): MesPayment[] {
  const g = gcd(price.num, price.den);
  const unit = (price.num / g) * classes.rebase(price.den / g);
  const unitKey = classes.keyOf(unit);
  const supp = profile.supporters[p];
  const util = profile.utilities[p];
  const gc = classes.groupClass;
  const stride = classes.count;
  const moved = new Map<number, number>();
  const child = util ? undefined : profile.unit ? classes.children(stride) : new Int32Array(stride).fill(-1);
  const paid = new Map<number, { voters: number; amount: bigint; all: boolean }>();
  for (let i = 0; i < supp.length; i++) {
    const grp = supp[i];
    const c = gc[grp];
    if (c === 0) continue;
    const u = util ? util[i] : 1;
    const key = u * stride + c;
    let t = child ? child[c] : moved.get(key);
    if (t === undefined || t < 0) {
      const due = u === 1 ? unit : unit * BigInt(u);
      const have = classes.scaled(c);
      t = classes.openChild(c, have, due, u === 1 ? unitKey : classes.keyOf(due));
      if (child) child[c] = t;
      else moved.set(key, t);
      paid.set(key, { voters: 0, amount: have < due ? have : due, all: have < due });
    }
    const n = profile.groupSize[grp];
    gc[grp] = t;
    classes.size[c] -= n;
    classes.size[t] += n;
    const entry = paid.get(key) as { voters: number; amount: bigint; all: boolean };
    entry.voters += n;
    if (entry.all) watch.paidAll(grp, entry.amount);
    else watch.paidAtPrice(grp, n * u);
  }
  // Only the unit-utility price walk reads the sorted order.
  if (profile.unit) classes.mergeChildren(child ?? new Int32Array(0));
  watch.settle(unit);
  return explain ? summarisePayments(paid, classes.den * profile.scale) : [];
}

/** Full-price payers grouped by amount, and everyone who paid all they had as one group (few gcds). */
function summarisePayments(paid: Map<number, { voters: number; amount: bigint; all: boolean }>, den: bigint): MesPayment[] {
  const full = new Map<bigint, number>();
  let drained = 0;
  let drainedTotal = 0n;
  for (const { voters, amount, all } of paid.values()) {
    if (all) {
      drained += voters;
      drainedTotal += amount * BigInt(voters);
    } else full.set(amount, (full.get(amount) ?? 0) + voters);
  }
  const out: MesPayment[] = [...full.entries()]
    .sort((a, b) => (a[0] > b[0] ? -1 : a[0] < b[0] ? 1 : 0))
    .map(([amount, voters]) => ({
      voters,
      allTheyHad: false,
      paidEach: Rational.of(amount, den),
      total: Rational.of(amount * BigInt(voters), den),
    }));
  if (drained > 0) out.push({ voters: drained, allTheyHad: true, total: Rational.of(drainedTotal, den) });
  return out;
}

/** Marks the candidates whose supporters can no longer afford them (and records why, when explaining). */
function markUnaffordable(
  profile: Profile,
  watch: SupportersMoney,
  alive: number[],
  dead: Uint8Array,
  trace: MesTrace | undefined,
  round: number,
  exhaustedBy: number | undefined,
  den: bigint,
): void {
  for (const q of alive) {
    if (dead[q] || !watch.shortOf(q)) continue;
    dead[q] = 1;
    trace?.rejected.set(q, { round, exhaustedBy, supportersMoney: Rational.of(watch.of(q), den * profile.scale) });
  }
}
