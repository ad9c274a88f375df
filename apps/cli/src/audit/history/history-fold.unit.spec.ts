import type { RecordedEvent } from '@civic/event-store';
import { HistoryFold } from './history-fold';

const fund = 'f0000000-0000-4000-8000-000000000001';
const pot = 'p0000000-0000-4000-8000-000000000001';
let position = 0;
const ballotEvent = (voter: string, type: string, data: Record<string, unknown>): RecordedEvent => {
  position++;
  return {
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    position: String(position),
    streamName: `ballot-${pot}-${voter}`,
    revision: 0,
    type,
    // As the log parses it: every ballot its own copies of the ids.
    data: JSON.parse(JSON.stringify({ fundId: fund, potId: pot, voter, ...data })),
    metadata: { commandId: `c-${position}` },
    recordedAt: `2026-12-04T18:00:0${position}.000Z`,
  };
};

describe(HistoryFold.name, () => {
  it('keeps each ballot’s marks and source field for field, unknown fields included', () => {
    const fold = new HistoryFold();
    const cumulative = { kind: 'cumulative', points: [{ proposalId: 'x', points: 2, note: 'a later field' }] };
    const paper = { channel: 'paper', batchId: 'batch-1', entryNo: 7 };
    fold.apply(
      ballotEvent('v1', 'BallotCast', { content: { kind: 'cumulative', points: [{ proposalId: 'y', points: 1 }] }, source: paper }),
    );
    fold.apply(ballotEvent('v1', 'BallotReplaced', { content: cumulative, source: paper, reason: 'corrected' }));
    fold.apply(ballotEvent('v2', 'BallotCast', { content: cumulative, source: { channel: 'online' } }));
    fold.apply(ballotEvent('v3', 'BallotCast', { content: cumulative, source: { channel: 'online' } }));
    fold.apply(ballotEvent('v3', 'BallotVoided', { reason: 'duplicate' }));

    const counted = fold.countedBallots(pot);
    expect(counted.map((b) => [b.voter, b.content, (b as unknown as { source: unknown }).source])).toEqual([
      ['v1', cumulative, paper],
      ['v2', cumulative, { channel: 'online' }],
    ]);
    expect(counted.map((b) => b.streamName)).toEqual([`ballot-${pot}-v1`, `ballot-${pot}-v2`]);
    expect(fold.ballots.get(pot)!.get(`ballot-${pot}-v2`)).toMatchObject({ status: 'cast', fundId: fund, potId: pot, voter: 'v2' });
    expect(fold.ballots.get(pot)!.get(`ballot-${pot}-v3`)).toMatchObject({ status: 'voided', reason: 'duplicate', voter: 'v3' });
    expect(fold.ballotTimes.get(`ballot-${pot}-v1`)).toBe('2026-12-04T18:00:02.000Z');
  });
});
