import { randomUUID } from 'node:crypto';
import { eventStoreContract } from '@civic/event-store/testing';
import { StoreUnavailableError } from '@civic/event-store';
import { Client } from 'pg';
import { decodePosition } from './position';
import { PostgresEventStore } from './postgres-event-store';
import { readAllQuery } from './read/read-all';
import { DATABASE_URL, TestSchemas } from './testing/pg-test-db';

const schemas = new TestSchemas();

eventStoreContract('postgres (a real server)', {
  create: () => schemas.connect(),
  reopen: async (store) => {
    await store.close();
    return schemas.connect((store as PostgresEventStore).schema);
  },
  teardown: () => schemas.dropAll(),
});

describe('PostgresEventStore specifics', () => {
  afterAll(() => schemas.dropAll());
  const ev = (i: number) => ({ id: randomUUID(), type: 'BallotCast', data: { i } });

  it('commits concurrent appends together: one transaction for many requests, each with its own result', async () => {
    const store = await schemas.connect();
    await store.append('fund-g', [ev(0)]);
    const before = store.stats().commits;
    const results = await Promise.allSettled([
      ...Array.from({ length: 31 }, (_, i) => store.append(`ballot-g-${i}`, [ev(i)], { expectedRevision: 'no_stream' })),
      store.append('fund-g', [ev(99)], { expectedRevision: 7 }),
    ]);
    expect(results.slice(0, 31).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(results[31]).toMatchObject({ status: 'rejected', reason: { code: 'EVENT_STORE.WRONG_EXPECTED_VERSION' } });
    expect(store.stats().commits - before).toBe(1);
    expect(await store.readAll()).toHaveLength(32);
    await store.close();
  });

  it('stays correct with several nodes writing the same streams: the unique indexes decide races', async () => {
    const schema = schemas.next();
    const nodes = await Promise.all([schemas.connect(schema), schemas.connect(schema), schemas.connect(schema)]);
    await nodes[0].append('ballot-race', [ev(0)], { expectedRevision: 'no_stream' });
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => nodes[i % 3].append('ballot-race', [ev(i)], { expectedRevision: 0 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const anyWrites = await Promise.all(Array.from({ length: 30 }, (_, i) => nodes[i % 3].append('fund-any', [ev(i)])));
    expect(new Set(anyWrites.map((r) => r.nextExpectedRevision)).size).toBe(30);
    const retry = [ev(1), ev(2)];
    const retries = await Promise.all(nodes.map((n) => n.append('fund-retry', retry, { expectedRevision: 'no_stream' })));
    expect(new Set(retries.map((r) => r.position)).size).toBe(1);
    expect((await nodes[1].readStream('ballot-race')).map((e) => e.revision)).toEqual([0, 1]);
    expect(await nodes[2].readStream('fund-any')).toHaveLength(30);
    expect(await nodes[0].readStream('fund-retry')).toHaveLength(2);
    await Promise.all(nodes.map((n) => n.close()));
  });

  it('decides on fresh state when its own view of a stream is stale', async () => {
    const schema = schemas.next();
    const [a, b] = await Promise.all([schemas.connect(schema), schemas.connect(schema)]);
    const first = [ev(0)];
    await a.append('fund-stale', first, { expectedRevision: 'no_stream' });
    await b.append('fund-stale', [ev(1)], { expectedRevision: 0 });
    await b.append('fund-stale', [ev(2)], { expectedRevision: 1 });
    // a last saw revision 0: an exact expectation, 'any', a retry and a wrong guess all come out right.
    expect((await a.append('fund-stale', [ev(3)], { expectedRevision: 2 })).nextExpectedRevision).toBe(3);
    await b.append('fund-stale', [ev(4)]);
    expect((await a.append('fund-stale', [ev(5)])).nextExpectedRevision).toBe(5);
    const retried = [ev(6)];
    const original = await b.append('fund-stale', retried, { expectedRevision: 5 });
    expect(await a.append('fund-stale', retried, { expectedRevision: 5 })).toEqual(original);
    await expect(a.append('fund-stale', [ev(7)], { expectedRevision: 5 })).rejects.toMatchObject({ actual: 6 });
    expect((await a.readStream('fund-stale')).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    await Promise.all([a.close(), b.close()]);
  });

  it('reads its own acknowledged appends while an older transaction elsewhere is open, within a bound', async () => {
    const older = new Client({ connectionString: DATABASE_URL });
    await older.connect();
    await older.query('BEGIN');
    await older.query('SELECT pg_current_xact_id()'); // holds an xid: readers stop below it
    const patient = await schemas.connect(undefined, { readYourWritesMs: 10_000 });
    const hasty = await schemas.connect(undefined, { readYourWritesMs: 50 });
    await patient.append('fund-ryw', [ev(1)]);
    await hasty.append('fund-ryw', [ev(2)]);
    const started = Date.now();
    expect(await hasty.readAll()).toEqual([]); // lags behind the open transaction, but does not block
    expect(Date.now() - started).toBeLessThan(2000);
    const patientRead = patient.readAll();
    setTimeout(() => void older.query('COMMIT'), 300);
    expect(await patientRead).toHaveLength(1);
    expect(await hasty.readAll()).toHaveLength(1);
    await Promise.all([patient.close(), hasty.close(), older.end()]);
  });

  it('orders by transaction id as a number, then sequence, across digit boundaries', async () => {
    const store = await schemas.connect();
    const admin = new Client({ connectionString: DATABASE_URL });
    await admin.connect();
    // Rows as if written by transactions 9, 10, 99, 100 and 1000, sequence values out of order.
    const xids = [1000, 99, 10, 100, 9];
    for (const [i, xid] of xids.entries()) {
      await admin.query(
        `INSERT INTO "${store.schema}".events (transaction_id, event_id, stream_name, stream_category, revision, type, data, metadata, recorded_at)
         VALUES ($1::text::xid8, $2, $3, 'fund', 0, 'E', $4, '{}', now())`,
        [String(xid), randomUUID(), `fund-${i}`, JSON.stringify({ xid })],
      );
    }
    await admin.end();
    const order = (await store.readAll()).map((e) => (e.data as { xid: number }).xid);
    expect(order).toEqual([9, 10, 99, 100, 1000]);
    const paged = [];
    for (
      let after = 'start', page;
      (page = await store.readAll({ after, maxCount: 2 })).length > 0;
      after = page[page.length - 1].position
    ) {
      paged.push(...page.map((e) => (e.data as { xid: number }).xid));
    }
    expect(paged).toEqual([9, 10, 99, 100, 1000]);
    expect(await store.headPosition()).toBe((await store.readAll()).pop()!.position);
    await store.close();
  });

  it('pages a category filter (one or several categories) after any position without losing events', async () => {
    const store = await schemas.connect();
    for (let i = 0; i < 30; i++) await store.append(`${['ballot', 'fund', 'proposal'][i % 3]}-${i % 4}`, [ev(i)]);
    const all = await store.readAll();
    for (const streamCategories of [['fund'], ['fund', 'proposal']]) {
      const wanted = all.filter((e) => streamCategories.includes(e.streamName.split('-')[0])).map((e) => e.id);
      const got: string[] = [];
      for (
        let after = 'start', page;
        (page = await store.readAll({ after, maxCount: 3, filter: { streamCategories } })).length > 0;
        after = page[page.length - 1].position
      ) {
        got.push(...page.map((e) => e.id));
      }
      expect(got).toEqual(wanted);
      const [, second] = all.filter((e) => e.streamName.startsWith('ballot'));
      const afterBallot = await store.readAll({ after: second.position, filter: { streamCategories } });
      expect(afterBallot.map((e) => e.id)).toEqual(wanted.filter((id) => all.findIndex((e) => e.id === id) > all.indexOf(second)));
    }
    await store.close();
  });

  it('reads a page of several categories by walking each one only as far as the page, not every row of them', async () => {
    const schema = schemas.next();
    const store = await schemas.connect(schema);
    const many = (n: number) => Array.from({ length: n }, (_, i) => ev(i));
    for (let i = 0; i < 4; i++) {
      await store.append(`ballot-p${i}`, many(100));
      await store.append(`paperbatch-b${i}`, many(50));
      await store.append(`fund-f${i}`, many(50));
    }
    const filter = { streamCategories: ['ballot', 'paperbatch', 'ballot'] };
    const all = await store.readAll({ maxCount: 1000 });
    const wanted = all.filter((e) => /^(ballot|paperbatch)-/.test(e.streamName));
    // The same events, in the same order, a page of 7 at a time (a category given twice counts once).
    const got: string[] = [];
    for (
      let after = 'start', page;
      (page = await store.readAll({ after, maxCount: 7, filter })).length > 0;
      after = page[page.length - 1].position
    )
      got.push(...page.map((e) => e.id));
    expect(got).toEqual(wanted.map((e) => e.id));
    // What the server read for one page from the middle: each category's walk stops at the page's size.
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      const query = readAllQuery(`"${schema}"`, decodePosition(wanted[300].position), 7, { streamCategories: ['ballot', 'paperbatch'] })!;
      const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${query.text}`,
        query.values,
      );
      const scanned = rowsScanned(rows[0]['QUERY PLAN'][0].Plan);
      expect(scanned).toBeGreaterThan(0);
      expect(scanned).toBeLessThanOrEqual(2 * 7);
    } finally {
      await client.end();
      await store.close();
    }
  });

  it('migrates once and reopens an existing schema', async () => {
    const schema = schemas.next();
    const [a, b] = await Promise.all([schemas.connect(schema), schemas.connect(schema)]);
    await a.append('fund-m', [ev(1)]);
    expect(await b.readStream('fund-m')).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('fails to connect with a clear error naming DATABASE_URL', async () => {
    const err = await PostgresEventStore.connect({
      connectionString: 'postgres://postgres:secret@127.0.0.1:1/test',
      schema: schemas.next(),
      connectTimeoutMs: 2000,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as Error).message).toMatch(/DATABASE_URL/);
    expect((err as Error).message).toMatch(/127\.0\.0\.1:1/);
    expect((err as Error).message).not.toMatch(/secret/);
  });
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}

/** The rows the plan's scans of the events table produced. */
function rowsScanned(node: PlanNode): number {
  const own = node['Relation Name'] === 'events' ? node['Actual Rows'] * node['Actual Loops'] : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsScanned(child), 0);
}
