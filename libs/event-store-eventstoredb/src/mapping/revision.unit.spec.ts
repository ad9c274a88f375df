import { fromClientCurrentRevision, fromClientExpectedRevision, toClientExpectedRevision, toRevision } from './revision';

describe('expected revisions between the port and the client', () => {
  it.each([
    ['any', 'any'],
    ['no_stream', 'no_stream'],
    ['stream_exists', 'stream_exists'],
    [0, 0n],
    [41, 41n],
  ] as const)('%s ↔ %s', (ours, client) => {
    expect(toClientExpectedRevision(ours)).toBe(client);
    expect(fromClientExpectedRevision(client)).toBe(ours);
  });

  it('maps the current revision the server reports', () => {
    expect(fromClientCurrentRevision('no_stream')).toBe('no_stream');
    expect(fromClientCurrentRevision(7n)).toBe(7);
  });

  it('refuses revisions a number cannot hold exactly', () => {
    expect(() => toRevision(2n ** 53n)).toThrow(RangeError);
    expect(() => toRevision(-1n)).toThrow(RangeError);
  });
});
