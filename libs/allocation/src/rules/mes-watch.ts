import type { BudgetClasses } from './mes-state';
import type { Profile } from './profile';

/**
 * Explaining only: the money each project's supporters still hold, kept up to date as they pay,
 * so the round at which a project became unaffordable (and the payment that did it) is known
 * exactly. Payments at the full price are summed as integers and multiplied once per project.
 */
export class SupportersMoney {
  private readonly money: bigint[];
  private den: bigint;
  private readonly atPrice: Float64Array;
  private readonly drained: bigint[];

  constructor(
    private readonly profile: Profile,
    private readonly classes: BudgetClasses,
    b0num: bigint,
  ) {
    this.money = profile.supporterCount.map((n) => BigInt(n) * (b0num > 0n ? b0num : 0n));
    this.den = classes.den;
    this.atPrice = new Float64Array(profile.ids.length);
    this.drained = new Array<bigint>(profile.ids.length).fill(0n);
  }

  /** Group g's voters paid `units` of utility at the full price each (weight = voters × utility). */
  paidAtPrice(g: number, weight: number): void {
    const p = this.profile;
    for (let i = p.groupStart[g]; i < p.groupStart[g + 1]; i++) this.atPrice[p.groupProjects[i]] += weight;
  }

  /** Group g's voters each paid all they had, `have` over the classes' denominator. */
  paidAll(g: number, have: bigint): void {
    const p = this.profile;
    const total = have * BigInt(p.groupSize[g]);
    for (let i = p.groupStart[g]; i < p.groupStart[g + 1]; i++) this.drained[p.groupProjects[i]] += total;
  }

  /** Applies the round's payments; `unitPrice` is the full price per unit of utility over the classes' denominator. */
  settle(unitPrice: bigint): void {
    const up = this.classes.den / this.den;
    this.den = this.classes.den;
    for (let q = 0; q < this.money.length; q++) {
      // Most projects share no supporter with the one just paid for: nothing to do unless rebased.
      if (up === 1n && this.atPrice[q] === 0 && this.drained[q] === 0n) continue;
      this.money[q] = this.money[q] * up - unitPrice * BigInt(this.atPrice[q]) - this.drained[q];
      this.atPrice[q] = 0;
      this.drained[q] = 0n;
    }
  }

  /** What q's supporters hold, over the classes' denominator (after {@link settle}). */
  of(q: number): bigint {
    return this.money[q];
  }

  /** Whether q's supporters can no longer pay its cost. */
  shortOf(q: number): boolean {
    return this.money[q] < this.profile.costs[q] * this.den;
  }
}
