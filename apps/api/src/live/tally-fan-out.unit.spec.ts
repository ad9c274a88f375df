import type { Phase } from '@civic/domain';
import type { RequestContext } from '../auth/access.guard';
import type { Principal } from '../auth/principal';
import type { Tally } from '../ballots/ballot.types';
import { TallyFanOut } from './tally-fan-out';

const as = (role?: Principal['role']): RequestContext =>
  ({ clientKey: 'test', ...(role && { principal: { subject: 's', role, method: 'dev' } as unknown as Principal }) }) as RequestContext;

describe(TallyFanOut.name, () => {
  let phase: Phase;
  let reads: number;
  let countReads: number;
  let sut: TallyFanOut;

  beforeEach(() => {
    phase = 'voting_open';
    reads = 0;
    countReads = 0;
    const read = {
      tally: (potId: string): Tally => ({ potId, ballots: ++reads, lines: [], asOfPosition: String(reads) }) as unknown as Tally,
      counts: (potId: string) => ({ potId, ballots: ++countReads, asOfPosition: String(countReads) }) as unknown as Tally,
    };
    sut = new TallyFanOut(read, { potPhase: (potId) => (potId === 'pot-a' ? phase : undefined) });
  });

  it('reads a pot’s tally once per folded batch, for every subscriber who may see it', () => {
    const message = { potId: 'pot-a', position: '10' };
    const councillor = sut.payload(message, as('councillor'));
    const reviewer = sut.payload(message, as('reviewer'));
    const auditor = sut.payload(message, as('auditor'));
    expect(reviewer).toBe(councillor);
    expect(auditor).toBe(councillor);
    expect(reads).toBe(1);
  });

  it('reads again when the position moves', () => {
    const first = sut.payload({ potId: 'pot-a', position: '10' }, as('councillor'));
    const next = sut.payload({ potId: 'pot-a', position: '11' }, as('councillor'));
    expect(next).not.toBe(first);
    expect(next.ballots).toBe(2);
  });

  it('never hands a payload to a subscriber the embargo refuses, even one already read for staff', () => {
    const message = { potId: 'pot-a', position: '10' };
    sut.payload(message, as('councillor'));
    for (const ctx of [as('resident'), as()])
      expect(() => sut.payload(message, ctx)).toThrow(expect.objectContaining({ code: 'AUTH.FORBIDDEN' }));
  });

  it('refuses without reading when nobody who asks may see it', () => {
    expect(() => sut.payload({ potId: 'pot-a', position: '10' }, as('resident'))).toThrow(
      expect.objectContaining({ code: 'AUTH.FORBIDDEN' }),
    );
    expect(reads).toBe(0);
  });

  it('shows the public the tally once results are published, asked on each message', () => {
    const message = { potId: 'pot-a', position: '10' };
    expect(() => sut.payload(message, as())).toThrow(expect.objectContaining({ code: 'AUTH.FORBIDDEN' }));
    phase = 'results_published';
    expect(sut.payload(message, as()).potId).toBe('pot-a');
  });

  it('answers subscribers who ask for the counts only without reading the lines, and those who ask for lines with them', () => {
    const message = { potId: 'pot-a', position: '10' };
    const counts = sut.payload(message, as('councillor'), { lines: false });
    expect(sut.payload(message, as('reviewer'), { lines: false })).toBe(counts);
    expect([countReads, reads]).toEqual([1, 0]);
    const full = sut.payload(message, as('councillor'), { lines: true });
    expect(full).toHaveProperty('lines');
    expect(reads).toBe(1);
    // A tally read with its lines serves the counts too, until the position moves.
    expect(sut.payload(message, as('auditor'), { lines: false })).toBe(full);
    expect(countReads).toBe(1);
    expect(sut.payload({ ...message, position: '11' }, as('auditor'), { lines: false })).not.toHaveProperty('lines');
    expect(countReads).toBe(2);
  });

  it('refuses a subscriber the embargo hides the tally from, for the counts as for the lines', () => {
    const message = { potId: 'pot-a', position: '10' };
    sut.payload(message, as('councillor'), { lines: false });
    expect(() => sut.payload(message, as(), { lines: false })).toThrow(expect.objectContaining({ code: 'AUTH.FORBIDDEN' }));
    expect(() => sut.payload(message, as('resident'), { lines: false })).toThrow(expect.objectContaining({ code: 'AUTH.FORBIDDEN' }));
  });

  it('refuses an unknown pot as not found', () => {
    expect(() => sut.payload({ potId: 'pot-z', position: '1' }, as('councillor'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
