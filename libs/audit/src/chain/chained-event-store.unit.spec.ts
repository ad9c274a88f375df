import { InMemoryEventStore, InvalidInputError, type InMemoryLog } from '@civic/event-store';
import { eventStoreContract, ev } from '@civic/event-store/testing';
import { eventHash, splitChain } from '../hash/event-hash';
import { withoutChainOnRead } from '../testing/strip-chain';
import { ChainedEventStore } from './chained-event-store';

const logs = new WeakMap<object, InMemoryLog>();

// The whole contract, through the decorator; reads hide metadata.chain because the suite
// compares metadata exactly (the chain itself is checked below).
eventStoreContract('chained (in memory)', {
  create: async () => {
    const inner = new InMemoryEventStore();
    const view = withoutChainOnRead(new ChainedEventStore(inner));
    logs.set(view, inner.log);
    return view;
  },
  reopen: async (store) => {
    await store.close();
    const log = logs.get(store)!;
    const view = withoutChainOnRead(new ChainedEventStore(new InMemoryEventStore({ log })));
    logs.set(view, log);
    return view;
  },
});

describe(ChainedEventStore.name, () => {
  it('chains every part of a multi-stream append, a later part of a stream onto the earlier one', async () => {
    const sut = new ChainedEventStore(new InMemoryEventStore());
    await sut.append('fund-1', [ev('A')]);
    await sut.appendToStreams!([
      { streamName: 'fund-1', events: [ev('B')], expectedRevision: 0 },
      { streamName: 'fund-2', events: [ev('C'), ev('D')], expectedRevision: 'no_stream' },
      { streamName: 'fund-1', events: [ev('E')] },
    ]);
    for (const stream of ['fund-1', 'fund-2']) {
      let previous: string | null = null;
      for (const e of await sut.readStream(stream)) {
        const { metadata, link } = splitChain(e.metadata);
        expect(link).toEqual({ hash: eventHash({ ...e, metadata, previous }), previous });
        previous = link!.hash;
      }
    }
    expect((await sut.readStream('fund-1')).map((e) => e.type)).toEqual(['A', 'B', 'E']);
  });

  it('links every event to the previous one of its stream, whatever the expected revision', async () => {
    const sut = new ChainedEventStore(new InMemoryEventStore());
    await sut.append('fund-1', [ev('A', { b: 1, a: 2 }, { actor: 'x' }), ev('B')], { expectedRevision: 'no_stream' });
    await sut.append('fund-1', [ev('C')], { expectedRevision: 1 });
    await sut.append('fund-1', [ev('D')], { expectedRevision: 'stream_exists' });
    await sut.append('fund-1', [ev('E')]);
    const events = await sut.readStream('fund-1');
    let previous: string | null = null;
    for (const e of events) {
      const { metadata, link } = splitChain(e.metadata);
      expect(link).toEqual({ hash: eventHash({ ...e, metadata, previous }), previous });
      previous = link!.hash;
    }
    expect(events[0].metadata).toEqual({ actor: 'x', chain: expect.any(Object) });
  });

  it('chains concurrent appends under "any" without a fork', async () => {
    const sut = new ChainedEventStore(new InMemoryEventStore(), { maxAttempts: 100 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => sut.append('fund-c', [ev('E', { i })])));
    const events = await sut.readStream('fund-c');
    expect(events).toHaveLength(20);
    events.forEach((e, i) =>
      expect(splitChain(e.metadata).link!.previous).toBe(i === 0 ? null : splitChain(events[i - 1].metadata).link!.hash),
    );
  });

  it('reserves metadata.chain', async () => {
    const sut = new ChainedEventStore(new InMemoryEventStore());
    await expect(sut.append('fund-1', [ev('A', {}, { chain: 'mine' })])).rejects.toMatchObject({ field: 'events[0].metadata.chain' });
    await expect(sut.append('fund-1', [ev('A', {}, { chain: 'mine' })])).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('refuses to chain onto an event written without the chain', async () => {
    const inner = new InMemoryEventStore();
    await inner.append('fund-1', [ev('A')]);
    await expect(new ChainedEventStore(inner).append('fund-1', [ev('B')])).rejects.toThrow(/carries no hash chain/);
  });
});
