import type { RecordedEvent } from '@civic/event-store';
import { encodePosition } from '../mapping/position';
import { readAllPage, type ServerRead } from './read-all-page';

const log: RecordedEvent[] = Array.from({ length: 12 }, (_, i) => ({
  id: `e${i}`,
  type: 'E',
  data: { i },
  metadata: {},
  streamName: i % 3 === 0 ? 'fund-1' : 'ballot-1',
  revision: i,
  position: encodePosition({ commit: BigInt(100 + i * 10), prepare: BigInt(100 + i * 10) }),
  recordedAt: '2026-01-01T00:00:00.000Z',
}));

/** Like the server: reads start at the given position, inclusive. */
const server: ServerRead = async (from, count) => {
  const start = from === 'start' ? 0 : log.findIndex((e) => e.position >= from);
  return start < 0 ? [] : log.slice(start, start + count);
};

describe(readAllPage.name, () => {
  it('returns events strictly after the position, up to the count', async () => {
    const page = await readAllPage(server, log[3].position, 4, () => true);
    expect(page.map((e) => e.id)).toEqual(['e4', 'e5', 'e6', 'e7']);
    expect((await readAllPage(server, 'start', 2, () => true)).map((e) => e.id)).toEqual(['e0', 'e1']);
    expect(await readAllPage(server, log[11].position, 5, () => true)).toEqual([]);
  });

  it('reads on while a residual filter leaves the page short', async () => {
    const page = await readAllPage(server, 'start', 3, (e) => e.streamName === 'fund-1');
    expect(page.map((e) => e.id)).toEqual(['e0', 'e3', 'e6']);
    const rest = await readAllPage(server, page[2].position, 3, (e) => e.streamName === 'fund-1');
    expect(rest.map((e) => e.id)).toEqual(['e9']);
  });
});
