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
      { viewer: 'auditor', phases: () => ['voting_open'] },
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
      { viewer: 'auditor', phases: () => ['voting_open'] },
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
      { viewer: 'auditor', phases: () => ['voting_open'] },
      tally,
    );
    expect(JSON.stringify(e)).not.toContain('TH-001274');
    expect(tally.notPseudonymousWithheld).toBe(2);
  });

  it('withholds ballot marks until the fund is published and coarsens ballot times to the hour, unless for an auditor', () => {
    const tally = emptyTally();
    const hidden = publicEvent(ballot, { viewer: 'anonymous', phases: () => ['voting_closed'] }, tally);
    expect(hidden.data).toMatchObject({ content: 'withheld until results are published', voter: PSEUDONYM });
    expect([hidden.recordedAt, hidden.metadata.time]).toEqual(['2026-04-07T12:00:00.000Z', '2026-04-07T12:00:00.000Z']);
    const published = publicEvent(ballot, { viewer: 'anonymous', phases: () => ['results_published'] }, tally);
    expect(published.data).toMatchObject({ content: { kind: 'approval' } });
    const forAuditor = publicEvent(ballot, { viewer: 'auditor', phases: () => ['voting_open'] }, tally);
    expect(forAuditor).toMatchObject({ data: ballot.data, metadata: ballot.metadata, recordedAt: ballot.recordedAt });
    expect(forAuditor.redacted).toBeUndefined();
    expect(tally.marksWithheld).toBe(1);
  });

  it('withholds the lines, amounts and reasons of an allocation until results are published, as of the cut and now', () => {
    const tally = emptyTally();
    const recorded = event('allocation-pot1', 'AllocationRecorded', {
      fundId: 'f1',
      potId: 'pot1',
      rule: 'mes_cost_add1_greedy',
      lines: [{ proposalId: 'p1', funded: true, amount: 100, reason: 'Funded by equal shares' }],
      totalCost: 100,
    });
    const overridden = event('allocation-pot1', 'AllocationLineOverridden', {
      fundId: 'f1',
      potId: 'pot1',
      proposalId: 'p1',
      funded: false,
      amount: 0,
      reason: 'Site unavailable',
    });
    for (const e of [recorded, overridden]) {
      for (const phases of [['voting_closed'], ['voting_closed', 'delivery']] as const) {
        const hidden = publicEvent(e, { viewer: 'anonymous', phases: () => phases }, tally);
        expect(hidden.data).toEqual({ fundId: 'f1', potId: 'pot1', allocation: 'withheld until results are published' });
        expect(hidden.redacted).toContain('allocation');
      }
      expect(publicEvent(e, { viewer: 'auditor', phases: () => ['voting_closed'] }, tally).data).toEqual(e.data);
      expect(publicEvent(e, { viewer: 'anonymous', phases: () => ['results_published'] }, tally).data).toEqual(e.data);
    }
    expect(tally.allocationsWithheld).toBe(4);
  });

  it('floors a time to its hour', () => {
    expect(toHour('2026-04-07T23:59:59.999Z')).toBe('2026-04-07T23:00:00.000Z');
  });
});
