import fc from 'fast-check';
import { jsonCopy } from './json-copy';

const roundTrip = (value: unknown): { value: unknown } | { error: string } => {
  try {
    return { value: JSON.parse(JSON.stringify(value)) as unknown };
  } catch (error) {
    return { error: (error as Error).constructor.name };
  }
};
const copied = (value: unknown): { value: unknown } | { error: string } => {
  try {
    return { value: jsonCopy(value) };
  } catch (error) {
    return { error: (error as Error).constructor.name };
  }
};

describe(jsonCopy.name, () => {
  it('gives what a round trip through JSON text gives, or throws as it does, for any value', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withDate: true, withMap: true, withNullPrototype: true, withSparseArray: true }),
        (value) => {
          expect(copied(value)).toStrictEqual(roundTrip(value));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('copies plain data, dropping undefined properties, and shares nothing with it', () => {
    const data = { residentId: 'r1', ward: undefined, personal: { keyId: 'r1', ciphertext: 'AQ==' }, picks: ['a', -0], n: null };
    const copy = jsonCopy(data);
    expect(copy).toStrictEqual({ residentId: 'r1', personal: { keyId: 'r1', ciphertext: 'AQ==' }, picks: ['a', 0], n: null });
    expect((copy as { personal: unknown }).personal).not.toBe(data.personal);
  });

  it('keeps a `__proto__` key as an own property, and takes the round trip for what JSON alters', () => {
    const parsed = JSON.parse('{"__proto__":{"x":1}}') as unknown;
    expect(Object.getPrototypeOf(jsonCopy(parsed))).toBe(Object.prototype);
    expect(jsonCopy(parsed)).toStrictEqual(parsed);
    expect(jsonCopy({ at: new Date('2026-01-01T00:00:00Z'), n: NaN, list: [undefined, () => 1] })).toEqual({
      at: '2026-01-01T00:00:00.000Z',
      n: null,
      list: [null, null],
    });
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => jsonCopy(cycle)).toThrow(TypeError);
  });
});
