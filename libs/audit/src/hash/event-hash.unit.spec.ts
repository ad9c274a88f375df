import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { assertPlainJson, InvalidInputError, type JsonObject, type JsonValue } from '@civic/event-store';
import { canonicalCopy, canonicalJson, checkedCanonicalCopy } from './canonical-json';
import { eventHash, splitChain } from './event-hash';
import { canonicalMetadataWithoutChain, fastCanonical, fastEventHash } from './fast-event-hash';

const base = { streamName: 'ballot-p1-v1', revision: 0, id: '00000000-0000-4000-8000-000000000001', type: 'BallotCast', previous: null };

describe(eventHash.name, () => {
  it('is SHA-256 of the RFC 8785 form of stream, revision, id, type, data, metadata and previous', () => {
    const e = { ...base, data: { picks: ['p2', 'p1'], pot: 'pot-1' }, metadata: { z: 1, a: 'é' } };
    const expected =
      '{"data":{"picks":["p2","p1"],"pot":"pot-1"},"id":"00000000-0000-4000-8000-000000000001","metadata":{"a":"é","z":1},' +
      '"previous":null,"revision":0,"stream":"ballot-p1-v1","type":"BallotCast"}';
    expect(eventHash(e)).toBe(createHash('sha256').update(expected, 'utf8').digest('hex'));
  });

  it('does not depend on key order, and does depend on every field', () => {
    const a = eventHash({ ...base, data: { x: 1, y: [1, 2] }, metadata: { m: true, k: null } });
    expect(eventHash({ ...base, data: { y: [1, 2], x: 1 }, metadata: { k: null, m: true } })).toBe(a);
    const variants = [
      { ...base, streamName: 'ballot-p1-v2' },
      { ...base, revision: 1 },
      { ...base, id: '00000000-0000-4000-8000-000000000002' },
      { ...base, type: 'BallotReplaced' },
      { ...base, previous: 'a'.repeat(64) },
    ];
    for (const v of variants) expect(eventHash({ ...v, data: { x: 1, y: [1, 2] }, metadata: { m: true, k: null } })).not.toBe(a);
    expect(eventHash({ ...base, data: { x: 1, y: [2, 1] }, metadata: { m: true, k: null } })).not.toBe(a);
  });

  it('chains: the same events give the same hashes, and changing one changes every later hash', () => {
    const chain = (datas: JsonValue[]) => {
      let previous: string | null = null;
      return datas.map((data, revision) => (previous = eventHash({ ...base, revision, data, metadata: {}, previous })));
    };
    const one = chain([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(chain([{ n: 1 }, { n: 2 }, { n: 3 }])).toEqual(one);
    const other = chain([{ n: 1 }, { n: 9 }, { n: 3 }]);
    expect(other[0]).toBe(one[0]);
    expect(other[1]).not.toBe(one[1]);
    expect(other[2]).not.toBe(one[2]);
  });

  it('the fast path gives exactly the canonical form and the same hash for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue()), (data, metadata) => {
        const d = JSON.parse(JSON.stringify(data)) as JsonValue;
        const m = JSON.parse(JSON.stringify(metadata)) as JsonObject;
        expect(fastCanonical(d)).toBe(canonicalJson(d));
        const sorted = JSON.parse(canonicalJson(d)) as JsonValue;
        expect(fastCanonical(sorted)).toBe(canonicalJson(d));
        expect(fastEventHash({ ...base, data: d, metadata: m })).toBe(eventHash({ ...base, data: d, metadata: m }));
      }),
      { numRuns: 300 },
    );
  });

  it('copies any JSON value in one walk: the canonical text, and a copy equal to that text parsed back', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const v = JSON.parse(JSON.stringify(value)) as JsonValue;
        const { text, copy } = canonicalCopy(v);
        expect(text).toBe(canonicalJson(v));
        expect(Buffer.byteLength(text)).toBe(Buffer.byteLength(JSON.stringify(v)));
        expect(copy).toStrictEqual(JSON.parse(text));
        if (typeof v === 'object' && v !== null) expect(copy).not.toBe(v);
      }),
      { numRuns: 300 },
    );
    const tricky = JSON.parse('{"b":[{"__proto__":{"x":1}},-0,1e21,"\u2028"],"a":{"é":1,"e":2,"10":3,"9":4}}') as JsonValue;
    const { text, copy } = canonicalCopy(tricky);
    expect(text).toBe(canonicalJson(tricky));
    expect(copy).toStrictEqual(JSON.parse(text));
    expect(Object.getPrototypeOf((copy as { b: JsonObject[] }).b[0])).toBe(Object.prototype);
    const wide = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${(i * 7) % 40}`, i])) as JsonValue;
    expect(canonicalCopy(wide).text).toBe(canonicalJson(wide));
  });

  it('checks a value in the walk that copies it: plain JSON as the store checks it, and nothing else', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const v = JSON.parse(JSON.stringify(value)) as JsonValue;
        expect(checkedCanonicalCopy(v)).toStrictEqual(canonicalCopy(v));
      }),
      { numRuns: 300 },
    );
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = [deep];
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { back: cycle };
    const refused: unknown[] = [
      undefined,
      { a: undefined },
      [1, () => 2],
      { n: NaN },
      [Infinity],
      { big: 1n },
      { when: new Date(0) },
      { m: new Map() },
      ['\ud800'],
      { [Symbol.for('k')]: 1, s: Symbol('x') },
      new (class Box {})(),
      deep,
      cycle,
      // eslint-disable-next-line no-sparse-arrays
      [1, , 3],
    ];
    for (const value of refused) {
      expect(() => assertPlainJson(value, 'data')).toThrow(InvalidInputError);
      expect(checkedCanonicalCopy(value)).toBeUndefined();
    }
    expect(checkedCanonicalCopy({ fine: [1, 'two', null, { three: true }] })).toEqual(
      canonicalCopy({ fine: [1, 'two', null, { three: true }] }),
    );
  });

  it('cuts the chain out of metadata text exactly as JCS of the rest, wherever the chain is', () => {
    const chain = { hash: 'c'.repeat(64), previous: null };
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.boolean(), (metadata, sortFirst) => {
        const m = JSON.parse(JSON.stringify(metadata)) as JsonObject;
        delete m.chain;
        const rest = sortFirst ? (JSON.parse(canonicalJson(m)) as JsonObject) : m;
        expect(canonicalMetadataWithoutChain({ ...rest, chain })).toEqual({ text: canonicalJson(m), chain });
        expect(canonicalMetadataWithoutChain({ chain, ...rest })).toEqual({ text: canonicalJson(m), chain });
        expect(canonicalMetadataWithoutChain(rest)).toEqual({ text: canonicalJson(m), chain: undefined });
      }),
      { numRuns: 300 },
    );
  });

  it('splits the chain link out of metadata, and ignores a malformed one', () => {
    const link = { hash: 'b'.repeat(64), previous: null };
    expect(splitChain({ actor: 'x', chain: link })).toEqual({ metadata: { actor: 'x' }, link });
    expect(splitChain({ actor: 'x' })).toEqual({ metadata: { actor: 'x' }, link: undefined });
    expect(splitChain({ chain: { hash: 'nope', previous: null } }).link).toBeUndefined();
    expect(splitChain({ chain: { hash: 'b'.repeat(64), previous: 'short' } }).link).toBeUndefined();
  });
});
