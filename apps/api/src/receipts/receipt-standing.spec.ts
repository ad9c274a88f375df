import { PHASES } from '@civic/domain';
import type { RecordedEvent } from '@civic/event-store';
import { finalStanding } from './final-standing';
import { standingShown, type FinalStanding } from './receipt-standing';

const event = (revision: number, type: string, data: Record<string, unknown> = {}) =>
  ({
    streamName: 'ballot-p-v',
    revision,
    type,
    data,
    metadata: {},
    id: `e${revision}`,
    position: String(revision + 1),
    recordedAt: '',
  }) as unknown as RecordedEvent;

describe(standingShown.name, () => {
  it('tells nothing of later ballots while voting is open, that voting closed after the close, the final standing once published', () => {
    const final: FinalStanding = { status: 'superseded' };
    const shown = Object.fromEntries(PHASES.map((phase) => [phase, standingShown(phase, () => final).status]));
    expect(shown).toEqual({
      draft: 'recorded',
      proposals_open: 'recorded',
      review: 'recorded',
      voting_open: 'recorded',
      voting_closed: 'recorded_voting_closed',
      results_published: 'superseded',
      delivery: 'superseded',
      closed: 'superseded',
    });
  });
});

describe(finalStanding.name, () => {
  const cast = event(0, 'BallotCast');
  const replaced = event(1, 'BallotReplaced');
  it('counts the latest marks, supersedes the earlier ones, and names a void’s reason', () => {
    expect(finalStanding([cast, replaced], 0)).toEqual({ status: 'superseded' });
    expect(finalStanding([cast, replaced], 1)).toEqual({ status: 'counted' });
    expect(finalStanding([cast, replaced, event(2, 'BallotVoided', { reason: 'Duplicate registration' })], 1)).toEqual({
      status: 'voided',
      reason: 'Duplicate registration',
    });
    expect(finalStanding([cast, event(1, 'BallotWithdrawn')], 0)).toEqual({ status: 'withdrawn' });
    expect(finalStanding([cast, event(1, 'BallotWithdrawn'), event(2, 'BallotCast')], 2)).toEqual({ status: 'counted' });
  });
});
