import { chunkRows } from './chunk-rows';
import type { PlannedRow } from './plan-batch';

const row = (request: number, chars: number): PlannedRow => ({
  request,
  eventId: `e${request}`,
  streamName: 'fund-1',
  category: 'fund',
  revision: 0,
  type: 'E',
  dataJson: 'x'.repeat(chars),
  metadataJson: '',
});

describe(chunkRows.name, () => {
  it('keeps a small batch in one statement', () => {
    expect(chunkRows([row(0, 5), row(1, 5)], 100)).toHaveLength(1);
  });

  it('cuts a large batch only between requests', () => {
    const chunks = chunkRows([row(0, 60), row(0, 60), row(1, 10), row(2, 100), row(3, 1)], 100);
    expect(chunks.map((c) => c.map((r) => r.request))).toEqual([[0, 0], [1, 2], [3]]);
  });
});
