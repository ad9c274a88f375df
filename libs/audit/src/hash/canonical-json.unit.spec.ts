import { canonicalJson, writeCanonicalJson } from './canonical-json';
import type { JsonValue } from '@civic/event-store';

const written = (value: unknown): { text: string; pieces: number } => {
  const pieces: string[] = [];
  writeCanonicalJson(value, (text) => pieces.push(text));
  return { text: pieces.join(''), pieces: pieces.length };
};
const roundTrip = (value: unknown) => canonicalJson(JSON.parse(JSON.stringify(value)) as JsonValue);

describe('writeCanonicalJson', () => {
  it('writes what canonicalJson writes of the value’s JSON round trip', () => {
    const value = {
      z: [3, -0, 1.5e-7, 2 ** 60, NaN, Infinity, undefined, () => 1, null, true],
      a: { é: 'ü', e: 'quote " and \\ and \n', '\u{1F600}': 'astral', B: 'upper before lower', __proto__x: 1 },
      skipped: undefined,
      fn: () => 2,
      when: new Date(Date.UTC(2026, 11, 4)),
      nested: [[{ b: 1, a: [{}] }], []],
      empty: '',
    };
    expect(written(value).text).toBe(roundTrip(value));
  });

  it('keeps an own __proto__ key, as JSON.parse makes it', () => {
    const value = JSON.parse('{"__proto__": {"b": 1}, "a": 2}');
    expect(written(value).text).toBe(canonicalJson(value));
  });

  it('hands a long text on in pieces that join to the whole', () => {
    const ballots = Array.from({ length: 5000 }, (_, i) => ({
      voter: i.toString(16).padStart(64, '0'),
      content: { kind: 'cumulative', points: [{ proposalId: `p-${i % 7}`, points: 1 + (i % 3) }] },
    }));
    const { text, pieces } = written({ ballots });
    expect(pieces).toBeGreaterThan(1);
    expect(text).toBe(roundTrip({ ballots }));
  });

  it('writes scalars at the top as JSON.stringify does', () => {
    for (const value of ['x', 0, -0, 12.25, false, null]) expect(written(value).text).toBe(roundTrip(value));
  });
});
