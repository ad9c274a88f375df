import { AllocationError } from '../allocation.errors';

/** Greatest common divisor of two non-negative bigints (Euclid). */
export function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** Least common multiple of two positive bigints. */
export function lcm(a: bigint, b: bigint): bigint {
  return (a / gcd(a, b)) * b;
}

/** What a Rational can be built from: a Rational, a bigint, a safe integer, or a decimal / `p/q` string. */
export type RationalLike = Rational | bigint | number | string;

const DECIMAL = /^([+-]?)(\d*)(?:[.,](\d*))?(?:[eE]([+-]?\d+))?$/;
const FRACTION = /^([+-]?\d+)\s*\/\s*(\d+)$/;

/**
 * An exact rational number on BigInt, always normalised (denominator > 0, gcd 1), so two
 * equal values have equal fields. Immutable. Serialises to JSON as a string (`"7"`, `"-3/4"`),
 * never as a float.
 */
export class Rational {
  static readonly ZERO = new Rational(0n, 1n, true);
  static readonly ONE = new Rational(1n, 1n, true);

  readonly num: bigint;
  readonly den: bigint;

  private constructor(num: bigint, den: bigint, normalised: boolean) {
    if (!normalised) {
      if (den === 0n) throw new AllocationError('ALLOCATION.ARITHMETIC', 'Division by zero in a rational');
      if (den < 0n) {
        num = -num;
        den = -den;
      }
      const g = gcd(num, den);
      if (g > 1n) {
        num /= g;
        den /= g;
      }
    }
    this.num = num;
    this.den = den;
  }

  /** `num / den`, normalised. Throws `ALLOCATION.ARITHMETIC` if `den` is zero. */
  static of(num: bigint, den: bigint = 1n): Rational {
    return new Rational(num, den, false);
  }

  /**
   * Reads a value exactly. Strings may be integers, decimals (`400000.0`, a decimal comma
   * `12,5`, an exponent `1e3`) or fractions (`7/3`). Numbers must be safe integers.
   * Throws `ALLOCATION.NOT_A_NUMBER` otherwise.
   */
  static from(value: RationalLike): Rational {
    if (value instanceof Rational) return value;
    if (typeof value === 'bigint') return new Rational(value, 1n, true);
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) throw notANumber(String(value));
      return new Rational(BigInt(value), 1n, true);
    }
    const parsed = Rational.parse(value);
    if (!parsed) throw notANumber(value);
    return parsed;
  }

  /** Like {@link Rational.from} on a string, but returns `undefined` instead of throwing. */
  static parse(text: string): Rational | undefined {
    const s = text.trim();
    const frac = FRACTION.exec(s);
    if (frac) return BigInt(frac[2]) === 0n ? undefined : Rational.of(BigInt(frac[1]), BigInt(frac[2]));
    const m = DECIMAL.exec(s);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
    const digits = `${m[2]}${m[3] ?? ''}` || '0';
    const exp = -(m[3] ?? '').length + (m[4] ? Number(m[4]) : 0);
    if (Math.abs(exp) > 1000) return undefined;
    let num = BigInt(digits);
    let den = 1n;
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den = 10n ** BigInt(-exp);
    return Rational.of(m[1] === '-' ? -num : num, den);
  }

  add(o: Rational): Rational {
    if (this.den === o.den) return Rational.of(this.num + o.num, this.den);
    return Rational.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }

  sub(o: Rational): Rational {
    return this.add(o.neg());
  }

  mul(o: Rational): Rational {
    return Rational.of(this.num * o.num, this.den * o.den);
  }

  /** Throws `ALLOCATION.ARITHMETIC` when dividing by zero. */
  div(o: Rational): Rational {
    return Rational.of(this.num * o.den, this.den * o.num);
  }

  neg(): Rational {
    return new Rational(-this.num, this.den, true);
  }

  /** -1, 0 or 1 as `this` is less than, equal to or greater than `o` (exact, by cross-multiplying). */
  cmp(o: Rational): -1 | 0 | 1 {
    const l = this.num * o.den;
    const r = o.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }

  eq(o: Rational): boolean {
    return this.num === o.num && this.den === o.den;
  }
  lt(o: Rational): boolean {
    return this.cmp(o) < 0;
  }
  lte(o: Rational): boolean {
    return this.cmp(o) <= 0;
  }
  gt(o: Rational): boolean {
    return this.cmp(o) > 0;
  }
  gte(o: Rational): boolean {
    return this.cmp(o) >= 0;
  }

  sign(): -1 | 0 | 1 {
    return this.num < 0n ? -1 : this.num > 0n ? 1 : 0;
  }
  isZero(): boolean {
    return this.num === 0n;
  }
  isInteger(): boolean {
    return this.den === 1n;
  }

  /** The value as a bigint; throws `ALLOCATION.ARITHMETIC` unless it is an integer. */
  toBigInt(): bigint {
    if (this.den !== 1n) throw new AllocationError('ALLOCATION.ARITHMETIC', `${this.toString()} is not an integer`);
    return this.num;
  }

  /** `"7"` or `"-3/4"`: exact, and what {@link Rational.from} reads back. */
  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }

  toJSON(): string {
    return this.toString();
  }

  /** Rounded (half away from zero) to `digits` decimals, computed on bigints: for people, not for sums. */
  toFixed(digits: number): string {
    const p = 10n ** BigInt(digits);
    const abs = this.num < 0n ? -this.num : this.num;
    const scaled = (abs * p * 2n + this.den) / (this.den * 2n);
    const whole = (scaled / p).toString();
    const frac = digits > 0 ? `.${(scaled % p).toString().padStart(digits, '0')}` : '';
    return `${this.num < 0n && scaled !== 0n ? '-' : ''}${whole}${frac}`;
  }

  /** A plain decimal when the value has a finite one (`400000`, `12.5`), else `p/q`: for files. */
  toDecimalString(): string {
    let d = this.den;
    let twos = 0;
    let fives = 0;
    while (d % 2n === 0n) ((d /= 2n), twos++);
    while (d % 5n === 0n) ((d /= 5n), fives++);
    if (d !== 1n) return this.toString();
    const places = Math.max(twos, fives);
    if (places === 0) return this.num.toString();
    const scaled = (this.num * 10n ** BigInt(places)) / this.den;
    const neg = scaled < 0n;
    const abs = (neg ? -scaled : scaled).toString().padStart(places + 1, '0');
    return `${neg ? '-' : ''}${abs.slice(0, -places)}.${abs.slice(-places)}`;
  }
}

function notANumber(text: string): AllocationError {
  return new AllocationError('ALLOCATION.NOT_A_NUMBER', `"${text}" is not an exact number`);
}
