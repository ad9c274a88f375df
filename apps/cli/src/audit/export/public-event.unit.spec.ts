import type { RecordedEvent } from '@civic/event-store';
import { emptyTally, publicEvent, toHour } from './public-event';

const PSEUDONYM = 'a'.repeat(64);
const event = (streamName: string, type: string, data: object, metadata: object = {}): RecordedEvent => ({
  id: 'e1',
  position: '7',
  streamName,
  revision: 0,
  type,
  data: data as never,
  metadata: { actorRole: 'administrator', actorId: 'staff-1', time: '2026-04-07T12:34:56.789Z', ...metadata } as never,
  recordedAt: '2026-04-07T12:34:57.001Z',
});
const ballot = event(
  `ballot-pot1-${PSEUDONYM}`,
  'BallotCast',
  { fundId: 'f1', potId: 'pot1', voter: PSEUDONYM, content: { kind: 'approval', proposalIds: ['p1'] } },
  { actorRole: 'resident', actorId: PSEUDONYM },
);

describe(publicEvent.name, () => {
  it('keeps sealed personal data sealed and drops any field in clear, such as a schema 1 date of birth', () => {
    const tally = emptyTally();
    const sealed = { keyId: 'k', ciphertext: 'Y2lwaGVy' };
    const v1 = publicEvent(
      event('resident-r1', 'ResidentRegistered', {
        residentId: 'r1',
        ward: 'bow',
        source: 'register',
        dateOfBirth: '1971-03-14',
        personal: sealed,
      }),
      { publishedFunds: new Set(), auditor: true },
      tally,
    );
    expect(v1.data).toEqual({
      residentId: 'r1',
      ward: 'bow',
      source: 'register',
      personal: { keyId: 'k', ciphertext: 'withheld: sealed personal data' },
    });
    expect(JSON.stringify(v1)).not.toContain(sealed.ciphertext);
    expect(JSON.stringify(v1)).not.toContain('1971');
    const clear = publicEvent(
      event('resident-r2', 'ResidentRegistered', { residentId: 'r2', ward: null, source: 'self', personal: { name: 'Ann Other' } }),
      { publishedFunds: new Set(), auditor: true },
      tally,
    );
    expect(JSON.stringify(clear)).not.toContain('Ann Other');
    expect(tally).toMatchObject({ sealed: 1, clearFieldsDropped: 2 });
  });

  it('withholds a resident id that is not a pseudonym, as actor or as author', () => {
    const tally = emptyTally();
    const e = publicEvent(
      event(
        'proposal-p1',
        'ProposalSubmitted',
        { proposalId: 'p1', authorId: 'TH-001274' },
        { actorRole: 'resident', actorId: 'TH-001274' },
      ),
      { publishedFunds: new Set(), auditor: true },
      tally,
    );
    expect(JSON.stringify(e)).not.toContain('TH-001274');
    expect(tally.notPseudonymousWithheld).toBe(2);
  });

  it('withholds ballot marks until the fund is published and coarsens ballot times to the hour, unless for an auditor', () => {
    const tally = emptyTally();
    const hidden = publicEvent(ballot, { publishedFunds: new Set(), auditor: false }, tally);
    expect(hidden.data).toMatchObject({ content: 'withheld until results are published', voter: PSEUDONYM });
    expect([hidden.recordedAt, hidden.metadata.time]).toEqual(['2026-04-07T12:00:00.000Z', '2026-04-07T12:00:00.000Z']);
    const published = publicEvent(ballot, { publishedFunds: new Set(['f1']), auditor: false }, tally);
    expect(published.data).toMatchObject({ content: { kind: 'approval' } });
    const forAuditor = publicEvent(ballot, { publishedFunds: new Set(), auditor: true }, tally);
    expect(forAuditor).toMatchObject({ data: ballot.data, metadata: ballot.metadata, recordedAt: ballot.recordedAt });
    expect(forAuditor.redacted).toBeUndefined();
    expect(tally.marksWithheld).toBe(1);
  });

  it('floors a time to its hour', () => {
    expect(toHour('2026-04-07T23:59:59.999Z')).toBe('2026-04-07T23:00:00.000Z');
  });
});
