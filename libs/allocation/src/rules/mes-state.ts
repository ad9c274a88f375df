import { gcd } from '../rational/rational';
import type { Profile } from './profile';

/**
 * Voters' budgets during one MES run, as budget classes. Voters who supported the same selected
 * projects with the same utilities have paid the same amounts, so they have the same budget:
 * a class holds them all. Class 0 holds every voter whose money is gone. Every budget is
 * `num[c] / den`, over one common denominator, so a comparison is one bigint product.
 */
export class BudgetClasses {
  /** Common denominator of every budget. */
  den: bigint;
  /** Budget numerators by class (0n for class 0 and dead classes). */
  readonly num: bigint[] = [0n];
  /** Voters in each class. */
  readonly size: number[] = [0];
  /** The class of each voter group. */
  readonly groupClass: Int32Array;
  /** Live classes with money, ascending by budget (kept for the unit-utility price walk). */
  sorted: number[] = [];

  constructor(profile: Profile, b0num: bigint, b0den: bigint) {
    this.den = b0den;
    this.groupClass = new Int32Array(profile.groupSize.length);
    if (b0num > 0n && profile.groupSize.length > 0) {
      this.num.push(b0num);
      this.size.push(profile.voters);
      this.groupClass.fill(1);
      this.sorted = [1];
    }
  }

  get count(): number {
    return this.num.length;
  }

  /** Opens a class with budget `n / den` (or returns class 0 when it is empty). */
  open(n: bigint): number {
    if (n <= 0n) return 0;
    this.num.push(n);
    this.size.push(0);
    return this.num.length - 1;
  }

  /**
   * Moves every budget to a common denominator that also holds `pd`, the denominator of the
   * price being paid; returns the factor by which `pn/pd` must be scaled to it.
   */
  rebase(pd: bigint): bigint {
    const g = gcd(this.den, pd);
    const up = pd / g;
    if (up !== 1n) {
      for (let c = 1; c < this.num.length; c++) if (this.size[c] > 0) this.num[c] *= up;
      this.den *= up;
    }
    return this.den / pd;
  }

  /**
   * Unit utilities: after a payment every child class is its parent minus the same amount, so
   * children keep their parents' order; drop emptied classes and merge the children in.
   * `child[c]` is the class c's paying voters moved to (-1: none).
   */
  mergeChildren(child: Int32Array): void {
    const num = this.num;
    const kept: number[] = [];
    const born: number[] = [];
    for (const c of this.sorted) {
      const t = c < child.length ? child[c] : -1;
      if (t > 0) born.push(t);
      if (this.size[c] > 0) kept.push(c);
      else num[c] = 0n;
    }
    const out = new Array<number>(kept.length + born.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < kept.length && j < born.length) out[k++] = num[born[j]] < num[kept[i]] ? born[j++] : kept[i++];
    while (i < kept.length) out[k++] = kept[i++];
    while (j < born.length) out[k++] = born[j++];
    this.sorted = out;
  }

  /** Drops emptied classes and re-sorts the live ones by budget. */
  resort(): void {
    const live: number[] = [];
    for (let c = 1; c < this.num.length; c++) {
      if (this.size[c] > 0) live.push(c);
      else this.num[c] = 0n;
    }
    const num = this.num;
    live.sort((a, b) => (num[a] < num[b] ? -1 : num[a] > num[b] ? 1 : 0));
    this.sorted = live;
  }
}
