import { gcd } from '../rational/rational';
import type { Profile } from './profile';

const KEY_CAP = 2n ** 53n;

/** An order key as an exact integer number: values past 2^53 are capped (keys are only ever lower bounds there). */
export function toKey(v: bigint): number {
  return Number(v > KEY_CAP ? KEY_CAP : v);
}

/**
 * Voters' budgets during one MES run, as budget classes. Voters who supported the same selected
 * projects with the same utilities have paid the same amounts, so they have the same budget:
 * a class holds them all. Class 0 holds every voter whose money is gone.
 *
 * Budgets are exact: class c has `num[c] * fac[epoch[c]] / den`. A payment whose denominator
 * `den` lacks opens a new epoch (a multiple of `den`) instead of rescaling every class; only
 * the per-epoch factors are updated. `key[c]` is within a few units of `budget · 2^shift` (an
 * integer below 2^53): it orders classes without bigint work, except keys too close to call,
 * which are compared exactly.
 */
export class BudgetClasses {
  /** Denominator of the newest epoch: every amount the run computes is over it. */
  den: bigint;
  /** Per epoch: `den / (that epoch's denominator)`. */
  readonly fac: bigint[];
  readonly num: bigint[] = [0n];
  readonly epoch: number[] = [0];
  readonly key: number[] = [0];
  /** Voters in each class. */
  readonly size: number[] = [0];
  /** The class of each voter group. */
  readonly groupClass: Int32Array;
  /** Live classes with money, ascending by budget. */
  sorted: number[] = [];
  // Buffers reused by every round's merge.
  private spare: number[] = [];
  private readonly kept: number[] = [];
  private readonly born: number[] = [];
  private child = new Int32Array(0);
  /** Keys are budgets times 2^shift. */
  readonly shift: bigint;
  /** Keys closer than this are compared exactly: twice the most generations a class can have. */
  readonly margin: number;

  constructor(profile: Profile, b0num: bigint, b0den: bigint) {
    this.margin = 2 * (profile.ids.length + 2);
    this.den = b0den;
    this.fac = [1n];
    this.shift = BigInt(Math.max(0, 52 - (b0num / b0den + 1n).toString(2).length));
    this.groupClass = new Int32Array(profile.groupSize.length);
    if (b0num > 0n && profile.groupSize.length > 0) {
      this.open(b0num);
      this.size[1] = profile.voters;
      this.groupClass.fill(1);
      this.sorted = [1];
    }
  }

  get count(): number {
    return this.num.length;
  }

  /** Class c's budget over {@link den}. */
  scaled(c: number): bigint {
    return this.num[c] * this.fac[this.epoch[c]];
  }

  /** Opens a class with budget `n / den` (or returns class 0 when that is nothing). */
  open(n: bigint, key = toKey((n << this.shift) / this.den)): number {
    if (n <= 0n) return 0;
    this.num.push(n);
    this.epoch.push(this.fac.length - 1);
    this.key.push(key);
    this.size.push(0);
    return this.num.length - 1;
  }

  /** `due` (over {@link den}) in key units, rounded down: a child's key is its parent's minus this. */
  keyOf(due: bigint): number {
    return toKey((due << this.shift) / this.den);
  }

  /**
   * Opens the class of parent `c`'s voters after each paid `due` (over {@link den}). Its key is
   * derived from the parent's without a division: each generation adds less than one unit of
   * error, which {@link compare}'s margin absorbs.
   */
  openChild(c: number, have: bigint, due: bigint, dueKey: number): number {
    return this.open(have - due, this.key[c] - dueKey);
  }

  /**
   * Makes {@link den} a multiple of `pd`, the denominator of a price about to be paid (a new
   * epoch if needed); returns `den / pd`.
   */
  rebase(pd: bigint): bigint {
    const up = pd / gcd(this.den, pd);
    if (up !== 1n) {
      for (let e = 0; e < this.fac.length; e++) this.fac[e] *= up;
      this.fac.push(1n);
      this.den *= up;
    }
    return this.den / pd;
  }

  /** -1, 0, 1 as class a's budget is below, equal to, above class b's. */
  compare(a: number, b: number): number {
    const d = this.key[a] - this.key[b];
    if (d > this.margin || d < -this.margin) return d < 0 ? -1 : 1;
    const x = this.scaled(a);
    const y = this.scaled(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /**
   * Unit utilities: after a payment every child class is its parent minus the same amount, so
   * children keep their parents' order; drop emptied classes and merge the children in.
   * `child[c]` is the class c's paying voters moved to (-1: none).
   */
  mergeChildren(child: Int32Array): void {
    const kept = this.kept;
    const born = this.born;
    kept.length = 0;
    born.length = 0;
    for (const c of this.sorted) {
      const t = child[c];
      child[c] = -1;
      if (t > 0) born.push(t);
      if (this.size[c] > 0) kept.push(c);
      else this.num[c] = 0n;
    }
    const out = this.spare;
    out.length = 0;
    let i = 0;
    let j = 0;
    while (i < kept.length && j < born.length) out.push(this.compare(born[j], kept[i]) < 0 ? born[j++] : kept[i++]);
    while (i < kept.length) out.push(kept[i++]);
    while (j < born.length) out.push(born[j++]);
    this.spare = this.sorted;
    this.sorted = out;
  }

  /**
   * A class → child map for one payment, all -1 for the first `n` classes (unit utilities:
   * {@link mergeChildren} resets what the payment wrote, so the array is reused).
   */
  children(n: number): Int32Array {
    if (this.child.length < n) {
      const grown = new Int32Array(Math.max(n, this.child.length * 2)).fill(-1);
      this.child = grown;
    }
    return this.child;
  }
}
