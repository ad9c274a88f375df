/**
 * The contract every event store adapter must pass. An adapter's spec calls
 * `eventStoreContract(harness)` with a harness that creates fresh stores on its backend.
 */
import { randomUUID } from 'node:crypto';
import { InvalidInputError, WrongExpectedVersionError } from '../errors/event-store.errors';
import type { EventData, EventStore, Position, RecordedEvent, Start } from '../port/types';
import { DEFAULT_MAX_EVENT_BYTES } from '../validation/validate-append';

export interface ContractHarness {
  /** A new, empty store. */
  create(): Promise<EventStore>;
  /** Closes the store and opens the same storage again, as after a restart. */
  reopen(store: EventStore): Promise<EventStore>;
  /** Called once after the suite. */
  teardown?(): Promise<void>;
  /**
   * Whether an event id, once recorded in one stream, is refused in any other. Our own stores
   * enforce it with a unique index; EventStoreDB, whose semantics the port follows, only
   * recognises a retry within the same stream.
   * @defaultValue true
   */
  readonly idsUniqueAcrossStreams?: boolean;
}

export function ev(type = 'Something', data: EventData['data'] = { n: 1 }, metadata?: EventData['metadata']): EventData {
  return { id: randomUUID(), type, data, metadata };
}

/** Reads the whole global order, page by page. */
export async function readEverything(store: EventStore, pageSize = 1000): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  let after: Position | Start = 'start';
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    out.push(...page);
    if (page.length < pageSize) return out;
    after = page[page.length - 1].position;
  }
}

/** Takes `count` events from a subscription, then stops it. */
export async function take(sub: AsyncIterable<RecordedEvent> & { stop(): Promise<void> }, count: number) {
  const got: RecordedEvent[] = [];
  if (count === 0) return got;
  for await (const e of sub) {
    got.push(e);
    if (got.length >= count) break;
  }
  await sub.stop();
  return got;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection, but the call succeeded');
}

export function eventStoreContract(name: string, harness: ContractHarness): void {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    beforeEach(async () => {
      store = await harness.create();
    });
    afterEach(async () => {
      await store.close();
    });
    afterAll(async () => {
      await harness.teardown?.();
    });

    describe('append and readStream', () => {
      it('records events with ids, types, data, metadata, revisions from 0, string positions and a UTC time', async () => {
        const a = ev('BallotCast', { picks: ['p1'] }, { actor: 'r1' });
        const b = ev('BallotReplaced', { picks: ['p2'] });
        const result = await store.append('ballot-pot1-abc', [a, b], { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(1);
        expect(typeof result.position).toBe('string');
        const events = await store.readStream('ballot-pot1-abc');
        expect(events.map((e) => [e.id, e.type, e.revision, e.streamName])).toEqual([
          [a.id, 'BallotCast', 0, 'ballot-pot1-abc'],
          [b.id, 'BallotReplaced', 1, 'ballot-pot1-abc'],
        ]);
        expect(events[0].data).toEqual({ picks: ['p1'] });
        expect(events[0].metadata).toEqual({ actor: 'r1' });
        expect(events[1].metadata).toEqual({});
        expect(events[1].position).toBe(result.position);
        expect(typeof events[0].position).toBe('string');
        expect(new Date(events[0].recordedAt).toISOString()).toBe(events[0].recordedAt);
        expect(JSON.parse(JSON.stringify(events[0]))).toEqual({
          id: a.id,
          type: 'BallotCast',
          data: { picks: ['p1'] },
          metadata: { actor: 'r1' },
          streamName: 'ballot-pot1-abc',
          revision: 0,
          position: events[0].position,
          recordedAt: events[0].recordedAt,
        });
      });

      it('reads a missing stream as empty', async () => {
        expect(await store.readStream('fund-missing')).toEqual([]);
        expect(await store.readStream('fund-missing', { direction: 'backwards' })).toEqual([]);
      });

      it('reads forwards and backwards from a revision with a limit', async () => {
        await store.append(
          'fund-1',
          Array.from({ length: 10 }, (_, n) => ev('E', { n })),
        );
        const revs = (es: RecordedEvent[]) => es.map((e) => e.revision);
        expect(revs(await store.readStream('fund-1', { fromRevision: 3, maxCount: 4 }))).toEqual([3, 4, 5, 6]);
        expect(revs(await store.readStream('fund-1', { direction: 'backwards', maxCount: 3 }))).toEqual([9, 8, 7]);
        expect(revs(await store.readStream('fund-1', { direction: 'backwards', fromRevision: 2 }))).toEqual([2, 1, 0]);
        expect(revs(await store.readStream('fund-1', { fromRevision: 8 }))).toEqual([8, 9]);
        expect(revs(await store.readStream('fund-1', { fromRevision: 20 }))).toEqual([]);
      });

      it('checks every kind of expected revision and names stream, expected and actual on a mismatch', async () => {
        await store.append('fund-a', [ev()], { expectedRevision: 'no_stream' });
        const noStream = await rejection(store.append('fund-a', [ev()], { expectedRevision: 'no_stream' }));
        expect(noStream).toBeInstanceOf(WrongExpectedVersionError);
        expect(noStream).toMatchObject({
          code: 'EVENT_STORE.WRONG_EXPECTED_VERSION',
          streamName: 'fund-a',
          expected: 'no_stream',
          actual: 0,
        });
        const exists = await rejection(store.append('fund-b', [ev()], { expectedRevision: 'stream_exists' }));
        expect(exists).toMatchObject({ streamName: 'fund-b', expected: 'stream_exists', actual: 'no_stream' });
        const exact = await rejection(store.append('fund-a', [ev()], { expectedRevision: 5 }));
        expect(exact).toMatchObject({ streamName: 'fund-a', expected: 5, actual: 0 });
        expect((exact as Error).message).toMatch(/fund-a.*5.*0/);
        expect((await store.append('fund-a', [ev()], { expectedRevision: 0 })).nextExpectedRevision).toBe(1);
        expect((await store.append('fund-a', [ev()], { expectedRevision: 'stream_exists' })).nextExpectedRevision).toBe(2);
        expect((await store.append('fund-a', [ev()], { expectedRevision: 'any' })).nextExpectedRevision).toBe(3);
        expect((await store.append('fund-a', [ev()])).nextExpectedRevision).toBe(4);
        expect(await store.readStream('fund-b')).toEqual([]);
      });

      it('lets exactly one of 50 concurrent appends with the same expected revision succeed', async () => {
        await store.append('ballot-p-v', [ev()], { expectedRevision: 'no_stream' });
        const results = await Promise.allSettled(
          Array.from({ length: 50 }, (_, n) => store.append('ballot-p-v', [ev('BallotReplaced', { n })], { expectedRevision: 0 })),
        );
        const ok = results.filter((r) => r.status === 'fulfilled');
        const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(ok).toHaveLength(1);
        expect(failed).toHaveLength(49);
        for (const f of failed) expect(f.reason).toBeInstanceOf(WrongExpectedVersionError);
        expect((await store.readStream('ballot-p-v')).map((e) => e.revision)).toEqual([0, 1]);
      });

      it('lets exactly one of 50 concurrent first appends with no_stream succeed', async () => {
        const results = await Promise.allSettled(
          Array.from({ length: 50 }, () => store.append('ballot-p-w', [ev()], { expectedRevision: 'no_stream' })),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream('ballot-p-w')).toHaveLength(1);
      });

      it('treats the same event ids appended again as a retry: success, nothing written twice', async () => {
        const batch = [ev('A'), ev('B')];
        const first = await store.append('fund-r', batch, { expectedRevision: 'no_stream' });
        const again = await store.append('fund-r', batch, { expectedRevision: 'no_stream' });
        expect(again).toEqual(first);
        await store.append('fund-r', [ev('C')], { expectedRevision: 1 });
        // A late retry still succeeds: the events are where that request put them.
        expect(await store.append('fund-r', batch, { expectedRevision: 'no_stream' })).toEqual(first);
        expect(await store.append('fund-r', batch, { expectedRevision: 'any' })).toEqual(first);
        const single = ev('D');
        const r1 = await store.append('fund-r', [single], { expectedRevision: 2 });
        expect(await store.append('fund-r', [single], { expectedRevision: 2 })).toEqual(r1);
        expect((await store.readStream('fund-r')).map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
        expect(await readEverything(store)).toHaveLength(4);
      });

      it('concurrent retries of one append write it once', async () => {
        const batch = [ev('A'), ev('B'), ev('C')];
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, () => store.append('fund-cr', batch, { expectedRevision: 'no_stream' })),
        );
        expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
        expect(await store.readStream('fund-cr')).toHaveLength(3);
      });

      it('rejects a retry at an inconsistent expected revision, and ids reused in another place', async () => {
        const batch = [ev('A'), ev('B')];
        await store.append('fund-x', batch, { expectedRevision: 'no_stream' });
        expect(await rejection(store.append('fund-x', batch, { expectedRevision: 3 }))).toBeInstanceOf(WrongExpectedVersionError);
        if (harness.idsUniqueAcrossStreams !== false)
          expect(await rejection(store.append('fund-y', batch))).toBeInstanceOf(InvalidInputError);
        expect(await rejection(store.append('fund-x', [batch[1], batch[0]]))).toBeInstanceOf(InvalidInputError);
        expect(await rejection(store.append('fund-x', [batch[0], ev('New')]))).toBeInstanceOf(InvalidInputError);
        expect((await store.readStream('fund-x')).map((e) => e.id)).toEqual(batch.map((e) => e.id));
        if (harness.idsUniqueAcrossStreams !== false) expect(await readEverything(store)).toHaveLength(2);
      });

      it('leaves nothing visible when a multi-event append fails', async () => {
        await store.append('fund-m', [ev()]);
        await rejection(store.append('fund-m', [ev(), ev(), ev()], { expectedRevision: 'no_stream' }));
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        await rejection(store.append('fund-m', [ev(), ev(), { id: randomUUID(), type: 'Bad', data: cyclic as never }]));
        const dup = ev();
        await rejection(store.append('fund-m', [ev(), dup, dup]));
        expect(await store.readStream('fund-m')).toHaveLength(1);
        expect(await readEverything(store)).toHaveLength(1);
      });

      it('keeps unicode exactly and carries 1 MB payloads', async () => {
        const text = 'Bethnal Green — বাংলা ভাষা 🗳️ "quotes" \\ \u2028 ñ 漢字 \u0000 end';
        await store.append('proposal-u', [ev('ProposalSubmitted', { title: text, [text]: text })]);
        const big = 'x'.repeat(1024 * 1024 - 20);
        await store.append('proposal-big', [ev('Big', { big })]);
        const [u] = await store.readStream('proposal-u');
        expect(u.data).toEqual({ title: text, [text]: text });
        const [b] = await store.readStream('proposal-big');
        expect((b.data as { big: string }).big).toHaveLength(big.length);
      });
    });

    describe('appendToStreams: several streams in one atomic write', () => {
      // Optional in the port (EventStoreDB's client has no multi-stream append): a store that has it passes these.
      const many = () => store.appendToStreams!.bind(store);
      const maybe = (title: string, body: () => Promise<void>) =>
        it(title, async () => {
          if (!store.appendToStreams) return;
          await body();
        });

      maybe('writes every part, each with its own result, in order, at consecutive places of the global order', async () => {
        await store.append('resident-c', [ev('Old')]);
        const results = await many()([
          { streamName: 'resident-a', events: [ev('A1'), ev('A2')], expectedRevision: 'no_stream' },
          { streamName: 'resident-b', events: [ev('B1')], expectedRevision: 'no_stream' },
          { streamName: 'resident-c', events: [ev('C2')], expectedRevision: 0 },
          { streamName: 'resident-a', events: [ev('A3')], expectedRevision: 1 },
        ]);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([1, 0, 1, 2]);
        const all = await readEverything(store);
        expect(all.map((e) => e.type)).toEqual(['Old', 'A1', 'A2', 'B1', 'C2', 'A3']);
        expect(results.map((r) => r.position)).toEqual([all[2], all[3], all[4], all[5]].map((e) => e.position));
        expect((await store.readStream('resident-a')).map((e) => [e.type, e.revision])).toEqual([
          ['A1', 0],
          ['A2', 1],
          ['A3', 2],
        ]);
      });

      maybe('writes nothing of any part when one part fails its expected revision or its input', async () => {
        await store.append('resident-x', [ev()]);
        const err = await rejection(
          many()([
            { streamName: 'resident-n1', events: [ev()], expectedRevision: 'no_stream' },
            { streamName: 'resident-x', events: [ev()], expectedRevision: 'no_stream' },
            { streamName: 'resident-n2', events: [ev()], expectedRevision: 'no_stream' },
          ]),
        );
        expect(err).toBeInstanceOf(WrongExpectedVersionError);
        expect(err).toMatchObject({ streamName: 'resident-x', actual: 0 });
        const bad = await rejection(
          many()([
            { streamName: 'resident-n1', events: [ev()], expectedRevision: 'no_stream' },
            { streamName: 'resident-n2', events: [{ id: 'nope', type: 'E', data: {} }] },
          ]),
        );
        expect(bad).toMatchObject({ code: 'EVENT_STORE.INVALID_INPUT', field: 'appends[1].events[0].id' });
        const shared = ev();
        const twice = await rejection(
          many()([
            { streamName: 'resident-n1', events: [shared] },
            { streamName: 'resident-n2', events: [shared] },
          ]),
        );
        expect(twice).toMatchObject({ code: 'EVENT_STORE.INVALID_INPUT', field: 'appends[1].events[0].id' });
        expect(await rejection(many()([]))).toMatchObject({ code: 'EVENT_STORE.INVALID_INPUT', field: 'appends' });
        expect(await store.readStream('resident-n1')).toEqual([]);
        expect(await store.readStream('resident-n2')).toEqual([]);
        expect(await readEverything(store)).toHaveLength(1);
      });

      maybe('treats the same write sent again as a retry: the same results, nothing written twice', async () => {
        const parts = [
          { streamName: 'resident-r1', events: [ev('A')], expectedRevision: 'no_stream' as const },
          { streamName: 'resident-r2', events: [ev('B'), ev('C')], expectedRevision: 'no_stream' as const },
        ];
        const first = await many()(parts);
        expect(await many()(parts)).toEqual(first);
        const concurrent = await Promise.all([many()(parts), many()(parts)]);
        expect(concurrent).toEqual([first, first]);
        expect(await readEverything(store)).toHaveLength(3);
      });

      maybe(
        'lets exactly one of concurrent writes creating the same stream succeed, and the losers write none of their parts',
        async () => {
          const results = await Promise.allSettled(
            Array.from({ length: 12 }, (_, i) =>
              i % 2 === 0
                ? many()([
                    { streamName: `resident-own${i}`, events: [ev()], expectedRevision: 'no_stream' },
                    { streamName: 'resident-shared', events: [ev('Shared', { i })], expectedRevision: 'no_stream' },
                  ])
                : store.append('resident-shared', [ev('Shared', { i })], { expectedRevision: 'no_stream' }),
            ),
          );
          const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
          expect(won).toHaveLength(1);
          for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(WrongExpectedVersionError);
          const [shared] = await store.readStream('resident-shared');
          expect(shared.data).toEqual({ i: won[0] });
          for (let i = 0; i < 12; i += 2) expect(await store.readStream(`resident-own${i}`)).toHaveLength(i === won[0] ? 1 : 0);
        },
      );
    });

    describe('bad input is rejected, naming what is wrong, and writes nothing', () => {
      const badNames: unknown[] = [
        '',
        'nodash',
        'has space-1',
        '-1',
        'fund-',
        '$all-1',
        'fund-a\nb',
        42,
        undefined,
        'x'.repeat(600) + '-1',
      ];
      it.each(badNames.map((n) => [JSON.stringify(n) ?? String(n), n]))('stream name %s', async (_label, name) => {
        const err = await rejection(store.append(name as string, [ev()]));
        expect(err).toBeInstanceOf(InvalidInputError);
        expect(err).toMatchObject({ code: 'EVENT_STORE.INVALID_INPUT', field: 'streamName' });
        expect(await readEverything(store)).toEqual([]);
      });

      const badRevisions: unknown[] = [-1, 1.5, 'latest', NaN, BigInt(3), null, Number.MAX_SAFE_INTEGER + 1];
      it.each(badRevisions.map((r) => [String(r), r]))('expected revision %s', async (_label, revision) => {
        const err = await rejection(store.append('fund-1', [ev()], { expectedRevision: revision as number }));
        expect(err).toMatchObject({ code: 'EVENT_STORE.INVALID_INPUT', field: 'expectedRevision' });
        expect(await readEverything(store)).toEqual([]);
      });

      const cyclic: Record<string, unknown> = {};
      cyclic.me = cyclic;
      const badData: [string, unknown][] = [
        ['undefined', undefined],
        ['a nested undefined', { a: undefined }],
        ['a function', { f: () => 1 }],
        ['a bigint', { n: BigInt(1) }],
        ['NaN', { n: NaN }],
        ['Infinity', [Infinity]],
        ['a Date', { d: new Date(0) }],
        ['a Map', new Map()],
        ['a cycle', cyclic],
        ['a lone surrogate', { s: '\ud800' }],
      ];
      it.each(badData)('data holding %s', async (_label, data) => {
        const err = await rejection(store.append('fund-1', [{ id: randomUUID(), type: 'E', data: data as never }]));
        expect(err).toMatchObject({ code: 'EVENT_STORE.INVALID_INPUT' });
        expect((err as InvalidInputError).field).toMatch(/^events\[0\]\.data/);
        expect(await readEverything(store)).toEqual([]);
      });

      it('metadata that is not a JSON object', async () => {
        for (const metadata of [[1], 'x', { when: new Date() }]) {
          const err = await rejection(store.append('fund-1', [{ id: randomUUID(), type: 'E', data: {}, metadata: metadata as never }]));
          expect((err as InvalidInputError).field).toMatch(/^events\[0\]\.metadata/);
        }
        expect(await readEverything(store)).toEqual([]);
      });

      it('an oversized event', async () => {
        const err = await rejection(store.append('fund-1', [ev('Big', { s: 'x'.repeat(DEFAULT_MAX_EVENT_BYTES + 1) })]));
        expect(err).toMatchObject({ code: 'EVENT_STORE.INVALID_INPUT', field: 'events[0]' });
        expect((err as Error).message).toMatch(/bytes/);
        expect(await readEverything(store)).toEqual([]);
      });

      it('bad ids, bad types, no events', async () => {
        const cases: [unknown, string][] = [
          [[{ id: 'not-a-uuid', type: 'E', data: {} }], 'events[0].id'],
          [[{ type: 'E', data: {} }], 'events[0].id'],
          [[{ id: randomUUID(), type: '', data: {} }], 'events[0].type'],
          [[{ id: randomUUID(), type: 'has space', data: {} }], 'events[0].type'],
          [[], 'events'],
          ['nope', 'events'],
          [[null], 'events[0]'],
        ];
        for (const [events, field] of cases) {
          const err = await rejection(store.append('fund-1', events as EventData[]));
          expect(err).toMatchObject({ code: 'EVENT_STORE.INVALID_INPUT', field });
        }
        expect(await readEverything(store)).toEqual([]);
      });

      it('bad read options', async () => {
        expect(await rejection(store.readAll({ after: 'garbage' }))).toBeInstanceOf(InvalidInputError);
        expect(await rejection(store.readAll({ maxCount: 0 }))).toBeInstanceOf(InvalidInputError);
        expect(await rejection(store.readStream('fund-1', { fromRevision: -2 }))).toBeInstanceOf(InvalidInputError);
        expect(await rejection(store.readStream('bad name'))).toBeInstanceOf(InvalidInputError);
      });
    });

    describe('the global order', () => {
      it('is strictly increasing across streams, and paging after any position yields what follows it', async () => {
        const appended: string[] = [];
        for (let i = 0; i < 30; i++) {
          const e = ev('E', { i });
          appended.push(e.id);
          await store.append(`s${i % 3}-x`, [e]);
        }
        const all = await readEverything(store, 7);
        expect(all.map((e) => e.id)).toEqual(appended);
        expect(new Set(all.map((e) => e.position)).size).toBe(30);
        for (let i = 0; i < all.length - 1; i++) {
          const [next] = await store.readAll({ after: all[i].position, maxCount: 1 });
          expect(next.id).toBe(all[i + 1].id);
        }
        expect(await store.headPosition()).toBe(all[all.length - 1].position);
        expect(await store.readAll({ after: all[all.length - 1].position })).toEqual([]);
      });

      it('is empty with head "start" on a new store', async () => {
        expect(await store.headPosition()).toBe('start');
        expect(await store.readAll()).toEqual([]);
      });

      it('filters by event type and by stream category', async () => {
        await store.append('ballot-p1-a', [ev('BallotCast')]);
        await store.append('fund-1', [ev('FundCreated')]);
        await store.append('ballot-p1-b', [ev('BallotCast'), ev('BallotWithdrawn')]);
        await store.append('ballotx-1', [ev('BallotCast')]);
        await store.append('proposal-1', [ev('ProposalSubmitted')]);
        const types = (es: RecordedEvent[]) => es.map((e) => `${e.streamName}:${e.type}`);
        expect(types(await store.readAll({ filter: { eventTypes: ['BallotCast'] } }))).toEqual([
          'ballot-p1-a:BallotCast',
          'ballot-p1-b:BallotCast',
          'ballotx-1:BallotCast',
        ]);
        expect(types(await store.readAll({ filter: { streamCategories: ['ballot'] } }))).toEqual([
          'ballot-p1-a:BallotCast',
          'ballot-p1-b:BallotCast',
          'ballot-p1-b:BallotWithdrawn',
        ]);
        expect(
          types(await store.readAll({ filter: { streamCategories: ['ballot', 'fund'], eventTypes: ['FundCreated', 'BallotWithdrawn'] } })),
        ).toEqual(['fund-1:FundCreated', 'ballot-p1-b:BallotWithdrawn']);
        const [firstBallot] = await store.readAll({ filter: { streamCategories: ['ballot'] }, maxCount: 1 });
        expect(types(await store.readAll({ after: firstBallot.position, maxCount: 1, filter: { eventTypes: ['BallotCast'] } }))).toEqual([
          'ballot-p1-b:BallotCast',
        ]);
      });
    });

    describe('catch-up subscriptions', () => {
      it('catch up, then go live', async () => {
        await store.append('fund-1', [ev('A'), ev('B')]);
        const sub = store.subscribeAll();
        const received = take(sub, 4);
        await new Promise((r) => setTimeout(r, 50));
        await store.append('fund-2', [ev('C')]);
        await store.append('fund-1', [ev('D')]);
        expect((await received).map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
      });

      it('see every event exactly once, in order, while many writers append concurrently', async () => {
        const writers = 16;
        const perWriter = 25;
        const total = writers * perWriter + 10;
        await store.append(
          'fund-pre',
          Array.from({ length: 10 }, () => ev('Pre')),
        );
        const sub = store.subscribeAll({ batchSize: 7 });
        const received = take(sub, total);
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            for (let i = 0; i < perWriter; i++) {
              await store.append(`ballot-w${w}-${i % 5}`, [ev('BallotCast', { w, i })]);
              if (i % 7 === 0) await new Promise((r) => setImmediate(r));
            }
          }),
        );
        const got = await received;
        const all = await readEverything(store);
        expect(all).toHaveLength(total);
        expect(got.map((e) => e.id)).toEqual(all.map((e) => e.id));
        expect(new Set(got.map((e) => e.id)).size).toBe(total);
      });

      it('deliver only what passes a filter', async () => {
        await store.append('ballot-1-a', [ev('BallotCast')]);
        await store.append('fund-1', [ev('FundCreated')]);
        await store.append('ballot-1-b', [ev('BallotCast')]);
        const got = await take(store.subscribeAll({ filter: { streamCategories: ['ballot'] } }), 2);
        expect(got.map((e) => e.streamName)).toEqual(['ballot-1-a', 'ballot-1-b']);
      });

      it('resume after a restart from a stored checkpoint without repeating or skipping', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 20; i++) {
          const e = ev('E', { i });
          ids.push(e.id);
          await store.append(`fund-${i % 4}`, [e]);
        }
        const firstHalf = await take(store.subscribeAll({ batchSize: 3 }), 9);
        const checkpoint = firstHalf[firstHalf.length - 1].position;
        store = await harness.reopen(store);
        for (let i = 20; i < 25; i++) {
          const e = ev('E', { i });
          ids.push(e.id);
          await store.append(`fund-${i % 4}`, [e]);
        }
        const rest = await take(store.subscribeAll({ after: checkpoint, batchSize: 4 }), 16);
        expect([...firstHalf, ...rest].map((e) => e.id)).toEqual(ids);
      });

      it('stop ends a waiting iteration', async () => {
        const sub = store.subscribeAll();
        const done = (async () => {
          const got: RecordedEvent[] = [];
          for await (const e of sub) got.push(e);
          return got;
        })();
        await new Promise((r) => setTimeout(r, 30));
        await sub.stop();
        expect(await done).toEqual([]);
      });
    });
  });
}
