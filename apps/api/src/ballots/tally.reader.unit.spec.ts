import type { RecordedEvent } from '@civic/event-store';
import { batchFolder, ReadModelDatabase } from '@civic/projections';
import { TIME_TRAVEL_PROJECTIONS } from '@civic/read-models';
import { TallyReader } from './tally.reader';

let position = 0;
const revisions = new Map<string, number>();
/** A ballot event of `voter` in `potId`, at the next position of the history. */
function ballot(potId: string, voter: string, type: 'BallotCast' | 'BallotReplaced' | 'BallotWithdrawn', proposalIds: string[] = []) {
  const streamName = `ballot-${potId}-${voter}`;
  const revision = (revisions.get(streamName) ?? -1) + 1;
  revisions.set(streamName, revision);
  const data =
    type === 'BallotWithdrawn'
      ? { fundId: 'f', potId, voter }
      : { fundId: 'f', potId, voter, content: { kind: 'approval', proposalIds }, source: { channel: 'online' } };
  position++;
  return {
    id: `e${position}`,
    type,
    data,
    metadata: {},
    streamName,
    revision,
    position: String(position),
    recordedAt: '',
  } as RecordedEvent;
}

describe(TallyReader.name, () => {
  let readModels: ReadModelDatabase;
  let fold: (events: readonly RecordedEvent[]) => void;
  let sut: TallyReader;

  beforeEach(() => {
    readModels = ReadModelDatabase.open(':memory:', TIME_TRAVEL_PROJECTIONS);
    fold = batchFolder(readModels);
    sut = new TallyReader(readModels);
  });
  afterEach(() => readModels.close());

  it('answers the same as a fresh reader while no ballot moves the pot, with the read models’ position now', () => {
    fold([ballot('pot-a', 'v1', 'BallotCast', ['p1', 'p2']), ballot('pot-b', 'v2', 'BallotCast', ['q1'])]);
    const first = sut.tally('pot-a');
    fold([ballot('pot-b', 'v3', 'BallotCast', ['q2'])]); // another pot: pot-a's counts stand
    const again = sut.tally('pot-a');
    expect(again).toEqual(new TallyReader(readModels).tally('pot-a'));
    expect(again.lines).toBe(first.lines); // kept, not read again
    expect(again.asOfPosition).toBe(readModels.checkpoint());
    expect(again.asOfPosition).not.toBe(first.asOfPosition);
  });

  it('reads the pot again once a ballot moves it: a cast, a replacement, a withdrawal', () => {
    fold([ballot('pot-a', 'v1', 'BallotCast', ['p1'])]);
    expect(sut.tally('pot-a')).toMatchObject({ ballots: 1, lines: [{ proposalId: 'p1', supporters: 1 }] });
    fold([ballot('pot-a', 'v2', 'BallotCast', ['p1', 'p2'])]);
    expect(sut.tally('pot-a')).toMatchObject({
      ballots: 2,
      lines: [
        { proposalId: 'p1', supporters: 2 },
        { proposalId: 'p2', supporters: 1 },
      ],
    });
    fold([ballot('pot-a', 'v2', 'BallotReplaced', ['p2'])]);
    expect(sut.tally('pot-a')).toMatchObject({
      ballots: 2,
      lines: [
        { proposalId: 'p1', supporters: 1 },
        { proposalId: 'p2', supporters: 1 },
      ],
    });
    fold([ballot('pot-a', 'v1', 'BallotWithdrawn')]);
    expect(sut.tally('pot-a')).toEqual(new TallyReader(readModels).tally('pot-a'));
    expect(sut.tally('pot-a')).toMatchObject({ ballots: 1, lines: [{ proposalId: 'p2', supporters: 1 }] });
  });

  it('keeps nothing of one read-model database for another (time travel reads copies at other positions)', () => {
    fold([ballot('pot-a', 'v1', 'BallotCast', ['p1'])]);
    const other = ReadModelDatabase.open(':memory:', TIME_TRAVEL_PROJECTIONS);
    try {
      const shared = { db: readModels.db, checkpoint: () => readModels.checkpoint() } as ReadModelDatabase;
      const reader = new TallyReader(shared);
      expect(reader.tally('pot-a').ballots).toBe(1);
      // The same pot at the same position in another file with other counts: read afresh.
      batchFolder(other)([{ ...ballot('pot-a', 'v9', 'BallotCast', ['p7']), position: readModels.checkpoint() as string }]);
      (shared as { db: unknown }).db = other.db;
      expect(reader.tally('pot-a').lines).toEqual([{ proposalId: 'p7', supporters: 1, points: 1 }]);
    } finally {
      other.close();
    }
  });
});
