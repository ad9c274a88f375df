import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { EventStore, Position, RecordedEvent, Start } from '@civic/event-store';
import { insertEvents } from './append/insert-events';
import { decodePosition } from './position';
import type { PlannedRow } from './append/plan-batch';
import { DATABASE_URL, TestSchemas } from './testing/pg-test-db';

const schemas = new TestSchemas();
afterAll(() => schemas.dropAll());

const row = (streamName: string, revision: number, data: object): PlannedRow => ({
  request: 0,
  eventId: randomUUID(),
  streamName,
  category: streamName.split('-')[0],
  revision,
  type: 'LongWritten',
  dataJson: JSON.stringify(data),
  metadataJson: '{}',
});

/** Reads every page after `after` until one comes back empty; returns the events and the new checkpoint. */
async function drain(
  store: EventStore,
  after: Position | Start,
  pageSize: number,
): Promise<{ seen: RecordedEvent[]; after: Position | Start }> {
  const seen: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    if (page.length === 0) return { seen, after };
    seen.push(...page);
    after = page[page.length - 1].position;
  }
}

/** A transaction held open on a connection of its own, advanced one statement at a time by the test. */
async function openTransaction(): Promise<{ client: Client; end: (how: 'COMMIT' | 'ROLLBACK') => Promise<void> }> {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query('BEGIN');
  let ended = false;
  const end = async (how: 'COMMIT' | 'ROLLBACK') => {
    if (ended) return;
    ended = true;
    await client.query(how);
    await client.end();
  };
  // A failed step must not leave a transaction holding the schema (dropping it would wait for ever).
  opened.push(() => end('ROLLBACK'));
  return { client, end };
}
const opened: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const end of opened.splice(0)) await end();
});

describe('the global order under long and short transactions', () => {
  /*
   * The interleaving is forced, step by step, on connections of its own: long transactions
   * opened and held (one takes its transaction id before the short writes and its sequence
   * values after them, one takes both before, one is rolled back), short appends committed
   * while they are open, then the long ones ended one at a time. A reader keeping its
   * checkpoint reads after each step. Other sessions on the server can only hold readers back
   * further (their xmin is cluster-wide), so each step asserts what a reader must not see yet.
   */
  it('a subscriber and a paging reader see every committed event exactly once, in order', async () => {
    const schema = schemas.next();
    // Writes go through node A; node B reads, so it never waits for writes of its own.
    const [nodeA, nodeB] = await Promise.all([schemas.connect(schema), schemas.connect(schema)]);
    const s = `"${schema}"`;
    const channel = `civic_events_${schema}`;
    const observer = new Client({ connectionString: DATABASE_URL });
    await observer.connect();
    const seqs: Record<string, number> = {};
    const maxSeq = (ids: string[]) => Math.max(...ids.map((id) => seqs[id]));
    const short = async (label: string, n: number) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const id = randomUUID();
        const { position } = await nodeA.append(`ballot-${label}-${i % 3}`, [{ id, type: 'BallotCast', data: { label, i } }]);
        seqs[id] = Number(decodePosition(position).seq);
        ids.push(id);
      }
      return ids;
    };
    const long = async (tx: { client: Client }, n: number) => {
      const rows = [0, 1, 2].map((r) => row(`long-${n}`, r, { n, r }));
      const written = await insertEvents(tx.client, s, channel, rows, new Date().toISOString());
      for (const [id, position] of written) seqs[id] = Number(decodePosition(position).seq);
      return rows.map((r) => r.eventId);
    };

    const before = await short('before', 6);
    const total = before.length + 3 + 3 + 12; // + the long ones committed (not the rolled back one) + the shorts while open
    const sub = nodeB.subscribeAll({ batchSize: 5 });
    const subscribed = (async () => {
      const got: RecordedEvent[] = [];
      for await (const e of sub) if (got.push(e) >= total) break;
      await sub.stop();
      return got;
    })();
    let reader = await drain(nodeB, 'start', 4);
    const pages = [...reader.seen];

    // 1. Open: `early` takes its transaction id now, its sequence values later; `held` takes both
    //    now; `doomed` writes and will roll back.
    const early = await openTransaction();
    await early.client.query('SELECT pg_current_xact_id()');
    const held = await openTransaction();
    const heldIds = await long(held, 1);
    const doomed = await openTransaction();
    const doomedIds = await long(doomed, 2);
    // 2. Short appends commit with later transaction ids and later sequence values than `held`.
    const during = await short('during', 12);
    // 3. `early` now takes sequence values above every short one.
    const earlyIds = await long(early, 0);
    expect(maxSeq(earlyIds)).toBeGreaterThan(maxSeq(during));
    // A reader ordering by sequence alone, at its end now, would pass `held`'s uncommitted events.
    expect(await countCommittedAfter(observer, s, maxSeq(heldIds))).toBeGreaterThan(0);
    reader = await drain(nodeB, reader.after, 4);
    pages.push(...reader.seen);
    const unseen = (ids: string[]) => expect(pages.map((e) => e.id).filter((id) => ids.includes(id))).toEqual([]);
    // Committed, but behind open transactions with lower ids: not yet.
    unseen(during);

    // 4. `held` commits; `early` (a lower id) is still open: still nothing of either, nor the shorts.
    await held.end('COMMIT');
    reader = await drain(nodeB, reader.after, 4);
    pages.push(...reader.seen);
    unseen([...heldIds, ...during]);

    // 5. `early` commits: the long ones may be read now, the shorts not while `doomed` is open.
    await early.end('COMMIT');
    reader = await drain(nodeB, reader.after, 4);
    pages.push(...reader.seen);
    unseen(during);

    // 6. `doomed` rolls back: everything committed is readable.
    await doomed.end('ROLLBACK');
    const deadline = Date.now() + 10_000;
    while (pages.length < total && Date.now() < deadline) {
      reader = await drain(nodeB, reader.after, 4);
      pages.push(...reader.seen);
      if (pages.length < total) await new Promise((resolve) => setImmediate(resolve));
    }
    const stopAt = setTimeout(() => void sub.stop(), 10_000);
    const got = await subscribed;
    clearTimeout(stopAt);

    const final = (await drain(nodeA, 'start', 1000)).seen;
    const ids = (events: RecordedEvent[]) => events.map((e) => e.id);
    expect(final).toHaveLength(total);
    // Transaction order: before, early, held, the shorts (doomed's id, between, wrote nothing).
    expect(ids(final)).toEqual([...before, ...earlyIds, ...heldIds, ...during]);
    expect(ids(final).filter((id) => doomedIds.includes(id))).toEqual([]);
    expect(ids(pages)).toEqual(ids(final));
    expect(ids(got)).toEqual(ids(final));
    expect(await nodeA.readAll({ after: final[final.length - 1].position })).toEqual([]);
    await Promise.all([nodeA.close(), nodeB.close(), observer.end()]);
  }, 60_000);
});

/** Events committed (as another connection sees them) with a sequence value above `seq`. */
async function countCommittedAfter(observer: Client, s: string, seq: number): Promise<number> {
  const { rows } = await observer.query<{ n: string }>(`SELECT count(*) AS n FROM ${s}.events WHERE position > $1`, [seq]);
  return Number(rows[0].n);
}
