import { InvalidInputError } from '@civic/event-store';
import { comparePositions, decodePosition, encodePosition } from './position';

describe('EventStoreDB positions as strings', () => {
  it('round-trip (commit, prepare), sort as strings, and never become numbers', () => {
    const p = encodePosition({ commit: 1234n, prepare: 1200n });
    expect(p).toBe('00000000000000001234:00000000000000001200');
    expect(decodePosition(p)).toEqual({ commit: 1234n, prepare: 1200n });
    const big = encodePosition({ commit: 2n ** 63n, prepare: 2n ** 63n - 1n });
    expect(decodePosition(big).commit).toBe(2n ** 63n);
    expect(JSON.parse(JSON.stringify({ p: big })).p).toBe(big);
    expect([big, p].sort()).toEqual([p, big]);
  });

  it('compare in the global order, start first', () => {
    const a = encodePosition({ commit: 10n, prepare: 5n });
    const b = encodePosition({ commit: 10n, prepare: 8n });
    const c = encodePosition({ commit: 11n, prepare: 1n });
    expect([comparePositions(a, b), comparePositions(c, b), comparePositions(a, a)]).toEqual([-1, 1, 0]);
    expect(comparePositions('start', a)).toBe(-1);
    expect(comparePositions(a, 'start')).toBe(1);
  });

  it('reject strings this adapter did not issue', () => {
    for (const bad of ['garbage', '12', '00000000000000000001-00000000000000000001', '1:2']) {
      expect(() => decodePosition(bad)).toThrow(InvalidInputError);
    }
  });
});
