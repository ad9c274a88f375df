import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@civic/domain';
import { InMemoryEventStore } from '@civic/event-store';
import { loadStream } from './load-stream';

type Added = DomainEvent<'Added', { n: number }>;
const summing = {
  initialState: () => ({ total: 0, seen: [] as number[] }),
  evolve: (s: { total: number; seen: number[] }, e: Added) => ({ total: s.total + e.data.n, seen: [...s.seen, e.data.n] }),
};
const add = (store: InMemoryEventStore, ...ns: number[]) =>
  store.append(
    'sum-1',
    ns.map((n) => ({ id: randomUUID(), type: 'Added', data: { n } })),
  );

describe('loadStream', () => {
  it('folds from an earlier load the same state as from the first event, reading only what came after', async () => {
    const store = new InMemoryEventStore();
    expect(await loadStream(store, 'sum-1', summing)).toEqual({ state: { total: 0, seen: [] }, revision: -1 });
    await add(store, 1, 2);
    const first = await loadStream(store, 'sum-1', summing);
    expect(first).toEqual({ state: { total: 3, seen: [1, 2] }, revision: 1 });
    const reads = jest.spyOn(store, 'readStream');
    expect(await loadStream(store, 'sum-1', summing, first)).toBe(first);
    expect(reads).toHaveBeenLastCalledWith('sum-1', { fromRevision: 2 });
    await add(store, 4);
    await add(store, 8, 16);
    const later = await loadStream(store, 'sum-1', summing, first);
    expect(later).toEqual(await loadStream(store, 'sum-1', summing));
    expect(later).toEqual({ state: { total: 31, seen: [1, 2, 4, 8, 16] }, revision: 4 });
  });

  it("folds only a stream's last events when its decider says its state is made of them", async () => {
    const store = new InMemoryEventStore();
    await add(store, 1, 2, 4);
    await add(store, 8, 16);
    const latest = { ...summing, foldsLast: 2 };
    expect(await loadStream(store, 'sum-1', latest)).toEqual({ state: { total: 24, seen: [8, 16] }, revision: 4 });
  });
});
