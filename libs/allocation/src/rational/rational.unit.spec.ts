import fc from 'fast-check';
import { Rational } from './rational';

describe(Rational.name, () => {
  it('normalises, so equal values have equal fields', () => {
    const r = Rational.of(6n, -4n);
    expect([r.num, r.den]).toEqual([-3n, 2n]);
    expect(Rational.of(2n, 4n).eq(Rational.of(1n, 2n))).toBe(true);
  });

  it('reads decimals, decimal commas, exponents and fractions exactly', () => {
    expect(Rational.from('400000.0').toString()).toBe('400000');
    expect(Rational.from('12,5').toString()).toBe('25/2');
    expect(Rational.from('0.1').toString()).toBe('1/10');
    expect(Rational.from('1e3').toString()).toBe('1000');
    expect(Rational.from('7/3').toString()).toBe('7/3');
    expect(Rational.from(12n).toString()).toBe('12');
  });

  it('refuses what is not an exact number', () => {
    for (const bad of ['', 'abc', '1.2.3', '1/0', '--1', '.']) expect(Rational.parse(bad)).toBeUndefined();
    expect(() => Rational.from(0.5)).toThrow(expect.objectContaining({ code: 'ALLOCATION.NOT_A_NUMBER' }));
    expect(() => Rational.ONE.div(Rational.ZERO)).toThrow(expect.objectContaining({ code: 'ALLOCATION.ARITHMETIC' }));
  });

  it('serialises to JSON as a string, never a float', () => {
    expect(JSON.stringify({ x: Rational.of(1n, 3n) })).toBe('{"x":"1/3"}');
  });

  it('writes decimals when finite and rounds for people on bigints', () => {
    expect(Rational.of(25n, 2n).toDecimalString()).toBe('12.5');
    expect(Rational.of(1n, 3n).toDecimalString()).toBe('1/3');
    expect(Rational.of(2n, 3n).toFixed(2)).toBe('0.67');
    expect(Rational.of(-1n, 8n).toFixed(2)).toBe('-0.13');
  });

  it('compares exactly (cross-multiplying) and obeys field laws', () => {
    const arb = fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 30n }));
    fc.assert(
      fc.property(arb, arb, ([an, ad], [bn, bd]) => {
        const a = Rational.of(an, ad);
        const b = Rational.of(bn, bd);
        expect(a.add(b).sub(b).eq(a)).toBe(true);
        if (!b.isZero()) expect(a.mul(b).div(b).eq(a)).toBe(true);
        expect(a.cmp(b)).toBe(Math.sign(Number(an * bd - bn * ad)));
        expect(Rational.from(a.toString()).eq(a)).toBe(true);
      }),
    );
  });
});
