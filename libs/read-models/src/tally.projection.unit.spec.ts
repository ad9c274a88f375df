import type { RecordedEvent } from '@civic/event-store';
import { batchFolder, ReadModelDatabase } from '@civic/projections';
import { tallyProjection } from './tally.projection';

type Marks = { kind: 'approval'; proposalIds: string[] } | { kind: 'cumulative'; points: { proposalId: string; points: number }[] };

/** A deterministic history of ballots: casts, replacements, withdrawals and voids, online and on paper, in two pots. */
function ballots(count: number): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  const revisions = new Map<string, number>();
  let seed = 7;
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let i = 0; i < count; i++) {
    const potId = next(2) === 0 ? 'pot-a' : 'pot-b';
    const stream = `ballot-${potId}-voter${next(40)}`;
    const revision = (revisions.get(stream) ?? -1) + 1;
    revisions.set(stream, revision);
    const roll = next(10);
    const content: Marks =
      potId === 'pot-a'
        ? { kind: 'approval', proposalIds: [...new Set([`p${next(5)}`, `p${next(5)}`])] }
        : { kind: 'cumulative', points: [{ proposalId: `q${next(4)}`, points: 1 + next(5) }] };
    const type = roll < 1 ? 'BallotWithdrawn' : roll < 2 ? 'BallotVoided' : revision === 0 ? 'BallotCast' : 'BallotReplaced';
    const source = next(3) === 0 ? { channel: 'paper', batchId: 'b1', entryNo: i } : { channel: 'online' };
    const data =
      type === 'BallotWithdrawn' || type === 'BallotVoided'
        ? { fundId: 'f', potId, voter: 'v' }
        : { fundId: 'f', potId, voter: 'v', content, source };
    events.push({
      id: `e${i}`,
      type,
      data,
      metadata: {},
      streamName: stream,
      revision,
      position: String(i + 1),
      recordedAt: '2026-01-01T00:00:00.000Z',
    } as RecordedEvent);
  }
  return events;
}

/** The tally counted naively: each stream's latest ballot, unless withdrawn or voided since. */
function recount(events: readonly RecordedEvent[]) {
  const latest = new Map<string, { potId: string; content: Marks; paper: boolean } | undefined>();
  for (const e of events) {
    const d = e.data as { potId: string; content?: Marks; source?: { channel: string } };
    latest.set(e.streamName, d.content ? { potId: d.potId, content: d.content, paper: d.source?.channel === 'paper' } : undefined);
  }
  const pots = new Map<string, { ballots: number; paper: number }>();
  const lines = new Map<string, { supporters: number; points: number }>();
  for (const b of latest.values()) {
    if (!b) continue;
    const pot = pots.get(b.potId) ?? { ballots: 0, paper: 0 };
    pot.ballots++;
    if (b.paper) pot.paper++;
    pots.set(b.potId, pot);
    const marks =
      b.content.kind === 'cumulative' ? b.content.points : b.content.proposalIds.map((proposalId) => ({ proposalId, points: 1 }));
    for (const m of marks) {
      const line = lines.get(`${b.potId}/${m.proposalId}`) ?? { supporters: 0, points: 0 };
      line.supporters++;
      line.points += m.points;
      lines.set(`${b.potId}/${m.proposalId}`, line);
    }
  }
  return { pots, lines };
}

function read(rm: ReadModelDatabase) {
  const pots = new Map(
    (
      rm.db.prepare(`SELECT pot_id, ballots, paper FROM tally_pots WHERE ballots > 0`).all() as {
        pot_id: string;
        ballots: number;
        paper: number;
      }[]
    ).map((r) => [r.pot_id, { ballots: r.ballots, paper: r.paper }]),
  );
  const lines = new Map(
    (
      rm.db.prepare(`SELECT pot_id, proposal_id, supporters, points FROM tally_lines WHERE supporters > 0`).all() as {
        pot_id: string;
        proposal_id: string;
        supporters: number;
        points: number;
      }[]
    ).map((r) => [`${r.pot_id}/${r.proposal_id}`, { supporters: r.supporters, points: r.points }]),
  );
  return { pots, lines };
}

describe('tallyProjection', () => {
  it('counts each stream’s latest ballot once, online and on paper, whatever was replaced, withdrawn or voided', () => {
    const events = ballots(3000);
    const rm = ReadModelDatabase.open(':memory:', [tallyProjection]);
    const fold = batchFolder(rm);
    for (let i = 0; i < events.length; i += 100) fold(events.slice(i, i + 100));
    expect(read(rm)).toEqual(recount(events));
    expect((rm.db.prepare(`SELECT count(*) AS n FROM tally_ballots`).get() as { n: number }).n).toBe(
      [...new Set(events.map((e) => e.streamName))].filter((s) => {
        const last = events.filter((e) => e.streamName === s).pop()!;
        return last.type === 'BallotCast' || last.type === 'BallotReplaced';
      }).length,
    );
    rm.close();
  });

  it('stays exact when a batch that created lines is rolled back and folded again', () => {
    const events = ballots(600);
    const rm = ReadModelDatabase.open(':memory:', [tallyProjection]);
    const fold = batchFolder(rm);
    fold(events.slice(0, 10));
    const poisoned = { ...events[300], type: 'BallotCast', data: { potId: 'pot-a' } } as RecordedEvent; // no content: apply throws
    expect(() => fold([...events.slice(10, 300), poisoned])).toThrow();
    for (let i = 10; i < events.length; i += 50) fold(events.slice(i, i + 50));
    expect(read(rm)).toEqual(recount(events));
    rm.close();
  });

  it('stays exact when a big batch (its pots’ lines read at once) is rolled back and folded again in big batches', () => {
    const events = ballots(2000);
    const rm = ReadModelDatabase.open(':memory:', [tallyProjection]);
    const fold = batchFolder(rm);
    fold(events.slice(0, 10));
    const poisoned = { ...events[700], type: 'BallotCast', data: { potId: 'pot-b' } } as RecordedEvent;
    expect(() => fold([...events.slice(10, 700), poisoned])).toThrow();
    for (let i = 10; i < events.length; i += 400) fold(events.slice(i, i + 400));
    expect(read(rm)).toEqual(recount(events));
    rm.close();
  });

  it.each([
    ['uneven small batches', (size: number) => (size * 7) % 251],
    ['batches big enough to read a pot’s lines at once, and small ones between', (size: number) => (size === 300 ? 3 : 300)],
  ])(
    'folds a batch at once into exactly the tables its events fold into one by one (line numbers, marks, positions): %s',
    (_label, nextSize) => {
      const events = ballots(4000);
      const { applyBatch: _, ...oneByOne } = tallyProjection;
      const dump = (rm: ReadModelDatabase) =>
        ['tally_ballots', 'tally_lines', 'tally_pots'].map((t) => rm.db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all());
      const batched = ReadModelDatabase.open(':memory:', [tallyProjection]);
      const single = ReadModelDatabase.open(':memory:', [oneByOne]);
      const [foldBatched, foldSingle] = [batchFolder(batched), batchFolder(single)];
      // Uneven batches, so that a stream's events fall both within one batch and across batches.
      for (let i = 0, size = 1; i < events.length; i += size, size = nextSize(size)) {
        foldBatched(events.slice(i, i + size));
        foldSingle(events.slice(i, i + size));
        if (i % 5 === 0) expect(dump(batched)).toEqual(dump(single));
      }
      expect(dump(batched)).toEqual(dump(single));
      expect(read(batched)).toEqual(recount(events));
      batched.close();
      single.close();
    },
  );
});
