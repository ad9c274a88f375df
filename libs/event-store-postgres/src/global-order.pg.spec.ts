import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { EventStore, Position, RecordedEvent, Start } from '@civic/event-store';
import { insertEvents } from './append/insert-events';
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

/** Pages through readAll with a stored checkpoint until `count` events were seen, or `give.up` is set. */
async function pageUntil(store: EventStore, count: number, pageSize: number, give = { up: false }): Promise<RecordedEvent[]> {
  const seen: RecordedEvent[] = [];
  let after: Position | Start = 'start';
  while (seen.length < count && !give.up) {
    const page = await store.readAll({ after, maxCount: pageSize });
    seen.push(...page);
    if (page.length > 0) after = page[page.length - 1].position;
    else await sleep(5);
  }
  return seen;
}

describe('the global order under long and short transactions', () => {
  it('a subscriber and a paging reader see every committed event exactly once, in order', async () => {
    const schema = schemas.next();
    const [nodeA, nodeB] = await Promise.all([schemas.connect(schema), schemas.connect(schema, { pollIntervalMs: 5000 })]);
    const s = `"${schema}"`;
    const channel = `civic_events_${schema}`;
    const shortWriters = 8;
    const perWriter = 30;
    const longs = 8; // the last one rolls back: its events must never be seen
    const perLong = 3;
    const total = shortWriters * perWriter + (longs - 1) * perLong;

    const sub = nodeA.subscribeAll({ batchSize: 5 });
    const subscribed = (async () => {
      const got: RecordedEvent[] = [];
      for await (const e of sub) if (got.push(e) >= total) break;
      await sub.stop();
      return got;
    })();
    // Readers that skipped an event would wait for ever: once all is written, they get 5 s more.
    const give = { up: false };
    const paged = pageUntil(nodeB, total, 4, give);

    // How often a reader ordering by sequence alone would have passed an uncommitted event.
    let naiveSkips = 0;
    const observer = new Client({ connectionString: DATABASE_URL });
    await observer.connect();
    const long = async (n: number) => {
      const client = new Client({ connectionString: DATABASE_URL });
      await client.connect();
      try {
        await client.query('BEGIN');
        if (n % 2 === 1) {
          // Half of them take their transaction id early and their sequence values late.
          await client.query('SELECT pg_current_xact_id()');
          await sleep(30);
        }
        // Take the transaction id and the sequence values early…
        const written = await insertEvents(
          client,
          s,
          channel,
          [0, 1, 2].map((r) => row(`long-${n}`, r, { n, r })),
          new Date().toISOString(),
        );
        const mySeq = Math.max(...[...written.values()].map((p) => Number(p.split(':')[1])));
        await sleep(40 + ((n * 37) % 120));
        // …while short transactions commit later ones: a reader ordering by sequence alone, and
        // at its end now, would move its checkpoint past ours and never come back for them.
        naiveSkips += await countCommittedAfter(observer, s, mySeq);
        await client.query(n === longs - 1 ? 'ROLLBACK' : 'COMMIT');
      } finally {
        await client.end();
      }
    };
    await Promise.all([
      ...Array.from({ length: longs }, (_, n) => sleep(n * 25).then(() => long(n))),
      ...Array.from({ length: shortWriters }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          await (w % 2 === 0 ? nodeA : nodeB).append(`ballot-w${w}-${i % 3}`, [{ id: randomUUID(), type: 'BallotCast', data: { w, i } }]);
          await sleep(i % 4);
        }
      }),
    ]);

    const final = await pageUntil(nodeA, total, 1000);
    const deadline = setTimeout(() => {
      give.up = true;
      void sub.stop();
    }, 5000);
    const got = await subscribed;
    const pages = await paged;
    clearTimeout(deadline);
    expect(final).toHaveLength(total);
    expect(final.some((e) => e.data && (e.data as { n?: number }).n === longs - 1)).toBe(false);
    expect(got.map((e) => e.id)).toEqual(final.map((e) => e.id));
    expect(pages.map((e) => e.id)).toEqual(final.map((e) => e.id));
    expect(new Set(got.map((e) => e.id)).size).toBe(total);
    expect(naiveSkips).toBeGreaterThan(0);
    expect(await nodeA.readAll({ after: final[final.length - 1].position })).toEqual([]);
    await Promise.all([nodeA.close(), nodeB.close(), observer.end()]);
  }, 60_000);
});

/** Events committed (as another connection sees them) with a sequence value above `seq`. */
async function countCommittedAfter(observer: Client, s: string, seq: number): Promise<number> {
  const { rows } = await observer.query<{ n: string }>(`SELECT count(*) AS n FROM ${s}.events WHERE position > $1`, [seq]);
  return Number(rows[0].n);
}
