import type { RecordedEvent } from '@civic/event-store';
import { batchFolder, ReadModelDatabase } from '@civic/projections';
import { timelineProjection } from './timeline.projection';

const event = (position: number, recordedAt: string): RecordedEvent => ({
  id: `e${position}`,
  type: 'FundCreated',
  data: {},
  metadata: {},
  streamName: 'fund-f',
  revision: position - 1,
  position: String(position),
  recordedAt,
});

describe('the timeline projection', () => {
  it('keeps every position in order, each with the latest time recorded up to it, even when a clock went back', () => {
    const readModels = ReadModelDatabase.open(':memory:', [timelineProjection]);
    const fold = batchFolder(readModels);
    fold([event(1, '2026-05-01T10:00:00.000Z'), event(2, '2026-05-01T10:00:05.000Z'), event(3, '2026-05-01T09:59:59.000Z')]);
    fold([event(4, '2026-05-01T10:00:01.000Z'), event(5, '2026-05-01T10:00:07.000Z')]);
    expect(readModels.db.prepare('SELECT seq, position, reached_at FROM timeline ORDER BY seq').all()).toEqual([
      { seq: 1, position: '1', reached_at: '2026-05-01T10:00:00.000Z' },
      { seq: 2, position: '2', reached_at: '2026-05-01T10:00:05.000Z' },
      { seq: 3, position: '3', reached_at: '2026-05-01T10:00:05.000Z' },
      { seq: 4, position: '4', reached_at: '2026-05-01T10:00:05.000Z' },
      { seq: 5, position: '5', reached_at: '2026-05-01T10:00:07.000Z' },
    ]);
  });

  it('leaves by batches exactly the rows it leaves event by event', () => {
    const times = ['2026-05-01T10:00:00.000Z', '2026-05-01T09:00:00.000Z', '2026-05-01T10:00:00.000Z', '2026-05-01T11:30:00.000Z'];
    const events = Array.from({ length: 40 }, (_, i) =>
      event(i + 1, times[(i * 7) % times.length].replace('00.000', `${10 + (i % 5)}.000`)),
    );
    const rows = (rm: ReadModelDatabase) => rm.db.prepare('SELECT seq, position, reached_at FROM timeline ORDER BY seq').all();
    const byBatch = ReadModelDatabase.open(':memory:', [timelineProjection]);
    const fold = batchFolder(byBatch);
    for (let from = 0; from < events.length; from += 9) fold(events.slice(from, from + 9));
    const { applyBatch, ...eventByEvent } = timelineProjection;
    expect(applyBatch).toBeDefined();
    const oneByOne = ReadModelDatabase.open(':memory:', [eventByEvent]);
    batchFolder(oneByOne)(events);
    expect(rows(byBatch)).toEqual(rows(oneByOne));
    // The clock went back within a batch and across batches, and forward again.
    const reached = rows(byBatch).map((r) => (r as { reached_at: string }).reached_at);
    expect(events.filter((e, i) => e.recordedAt < reached[i]).length).toBeGreaterThan(5);
    expect(new Set(reached).size).toBeGreaterThan(2);
  });
});
