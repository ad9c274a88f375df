import { InvalidInputError } from '@civic/event-store';
import { decodePosition, encodePosition, ORIGIN } from './position';

describe('positions', () => {
  it('round-trip, and sort as strings in (transaction id, sequence) order', () => {
    const p = encodePosition('750', '12');
    expect(decodePosition(p)).toEqual({ xid: '750', seq: '12' });
    const ordered = [encodePosition(9, 100), encodePosition(10, 3), encodePosition(10, 4), encodePosition('18446744073709551615', 1)];
    expect([...ordered].sort()).toEqual(ordered);
  });

  it('read start as the origin and reject anything this store did not issue', () => {
    expect(decodePosition('start')).toBe(ORIGIN);
    for (const bad of ['12', 'garbage', '1:2', encodePosition(1, 2) + ' ']) {
      expect(() => decodePosition(bad)).toThrow(InvalidInputError);
    }
  });
});
