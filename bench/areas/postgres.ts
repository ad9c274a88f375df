/**
 * PostgreSQL: our adapter next to raw `pg` inserting and reading the same rows, and next to
 * Emmett's PostgreSQL event store doing the same appends, all in one run against the same
 * server, at the same durability: synchronous_commit on (the server's default; our store also
 * refuses `off` for its writes). Contenders take turns in rounds, so load from elsewhere on the
 * machine falls on all of them alike.
 *
 * Runs in a throwaway database `civic_bench_<random>` on DATABASE_URL's server, dropped after.
 * Raw inserts go to a table created by our own migrations (same columns, same indexes), one
 * multi-row INSERT per transaction, so the ratio measures what the adapter adds.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { PostgresEventStore } from '@civic/event-store-postgres';
import type { EventData } from '@civic/event-store';
import { peakRssMb, printTable, verdict } from '../table';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CONCURRENCY = 32;
const ROUNDS = 4;

interface Sizes {
  /** Appends per appender per round, one event each. */
  singles: number;
  /** Appends per appender per round, 100 events each. */
  batches: number;
  /** Events replayed. */
  replay: number;
}

const ballot = (a: number, i: number): EventData => ({
  id: randomUUID(),
  type: 'BallotCast',
  data: { pot: `pot-${a % 20}`, picks: ['proposal-1', 'proposal-7', 'proposal-12'], i },
  metadata: { actor: { role: 'resident', pseudonym: `r-${a}-${i}` }, correlationId: randomUUID(), schemaVersion: 1 },
});

type Row = [string, string, string, number, string, string, string, string];
const toRow = (stream: string, revision: number, e: EventData): Row => [
  e.id,
  stream,
  stream.split('-')[0],
  revision,
  e.type,
  JSON.stringify(e.data),
  JSON.stringify(e.metadata),
  new Date().toISOString(),
];

/** One multi-row INSERT (its own transaction): the raw baseline's unit of work. */
async function rawInsert(db: Pool | Client, rows: Row[]): Promise<void> {
  const cols = Array.from({ length: 8 }, (_, c) => rows.map((r) => r[c]));
  await db.query({
    name: 'raw-insert',
    text: `INSERT INTO raw.events (event_id, stream_name, stream_category, revision, type, data, metadata, recorded_at)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])`,
    values: cols,
  });
}

/**
 * Runs each contender for `perRound` appends per appender, ROUNDS times, taking turns; returns
 * each one's total seconds. Appender `a`'s i-th append overall is `step(a, i)`.
 */
async function rounds(perRound: number, contenders: ((a: number, i: number) => Promise<unknown>)[]): Promise<number[]> {
  const totals = contenders.map(() => 0);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [c, step] of contenders.entries()) {
      totals[c] += await timed(CONCURRENCY, perRound, (a, i) => step(a, r * perRound + i));
    }
  }
  return totals;
}

/** Runs `count` iterations on each of `concurrency` appenders; returns seconds. */
async function timed(concurrency: number, count: number, step: (a: number, i: number) => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, a) => {
      for (let i = 0; i < count; i++) await step(a, i);
    }),
  );
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function run(flags: string[]): Promise<void> {
  const sizes: Sizes = flags.includes('--quick')
    ? { singles: 10, batches: 1, replay: 20_000 }
    : { singles: 200, batches: 10, replay: 240_000 };
  const dbName = `civic_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${dbName}`;
  try {
    await runIn(url.toString(), sizes);
  } finally {
    await dropWhenIdle(admin, dbName);
    await admin.end();
  }
}

/**
 * Drops the bench database once every connection to it has gone: Emmett's driver may keep an
 * idle one (closed by its pool after 10 s), and killing it would crash this process from a pool
 * that has no error handler. Forces the drop after 20 s.
 */
async function dropWhenIdle(admin: Client, dbName: string): Promise<void> {
  for (let waited = 0; waited < 20_000; waited += 500) {
    try {
      await admin.query(`DROP DATABASE ${dbName}`);
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '55006') throw err; // 55006: still in use
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
}

async function runIn(url: string, sizes: Sizes): Promise<void> {
  const ours = await PostgresEventStore.connect({ connectionString: url, schema: 'civic' });
  await (await PostgresEventStore.connect({ connectionString: url, schema: 'raw' })).close(); // the same table, for raw rows
  // Emmett gets its own pool of the same size as ours, which we end (its close leaves one open).
  const emmettPool = new Pool({ connectionString: url, max: 10 });
  emmettPool.on('error', () => undefined);
  const emmett = getPostgreSQLEventStore(url, { connectionOptions: { pool: emmettPool, pooled: true } });
  await emmett.schema.migrate();
  const rawClient = new Client({ connectionString: url });
  await rawClient.connect();
  const rawPool = new Pool({ connectionString: url, max: CONCURRENCY });
  rawPool.on('error', () => undefined);
  const rows: (string | number)[][] = [];
  const rate = (events: number, s: number) => Math.round(events / s);

  try {
    // 1. 32 appenders, one event per append, each to its own stream, with an expected revision.
    // The three run in alternating rounds, so that load from elsewhere on the machine falls on all.
    const n1 = CONCURRENCY * sizes.singles * ROUNDS;
    const [tOurs, tEmmett, tRaw] = await rounds(sizes.singles, [
      (a, i) => ours.append(`ballot-single-${a}`, [ballot(a, i)], { expectedRevision: i === 0 ? 'no_stream' : i - 1 }),
      (a, i) =>
        emmett.appendToStream(`ballot-single-${a}`, [toEmmett(ballot(a, i))], {
          expectedStreamVersion: i === 0 ? STREAM_DOES_NOT_EXIST : BigInt(i),
        }),
      // Raw: one connection, the same rows 32 per transaction (one appender doing all 32).
      (a, i) =>
        a > 0
          ? Promise.resolve()
          : rawInsert(
              rawClient,
              Array.from({ length: CONCURRENCY }, (_, b) => toRow(`ballot-single-${b}`, i, ballot(b, i))),
            ),
    ]);
    rows.push(
      ['32 appenders × 1 event', 'ours', n1, tOurs.toFixed(2), rate(n1, tOurs), verdict(tRaw / tOurs, 0.7), verdict(tEmmett / tOurs, 1.5)],
      ['', 'Emmett appendToStream', n1, tEmmett.toFixed(2), rate(n1, tEmmett), (tRaw / tEmmett).toFixed(2) + '×', ''],
      ['', 'raw pg, 32 rows/txn', n1, tRaw.toFixed(2), rate(n1, tRaw), '1.00×', ''],
    );

    // 2. 32 appenders, 100 events per append.
    const n2 = CONCURRENCY * sizes.batches * ROUNDS * 100;
    const hundred = (a: number, i: number) => Array.from({ length: 100 }, (_, k) => ballot(a, i * 100 + k));
    const [bOurs, bEmmett, bRaw] = await rounds(sizes.batches, [
      (a, i) => ours.append(`ballot-batch-${a}`, hundred(a, i), { expectedRevision: i === 0 ? 'no_stream' : i * 100 - 1 }),
      (a, i) =>
        emmett.appendToStream(`ballot-batch-${a}`, hundred(a, i).map(toEmmett), {
          expectedStreamVersion: i === 0 ? STREAM_DOES_NOT_EXIST : BigInt(i * 100),
        }),
      (a, i) =>
        rawInsert(
          rawPool,
          hundred(a, i).map((e, k) => toRow(`ballot-batch-${a}`, i * 100 + k, e)),
        ),
    ]);
    rows.push(
      [
        '32 appenders × 100 events',
        'ours',
        n2,
        bOurs.toFixed(2),
        rate(n2, bOurs),
        (bRaw / bOurs).toFixed(2) + '×',
        (bEmmett / bOurs).toFixed(2) + '×',
      ],
      ['', 'Emmett appendToStream', n2, bEmmett.toFixed(2), rate(n2, bEmmett), (bRaw / bEmmett).toFixed(2) + '×', ''],
      ['', 'raw pg, 32 conns × 100 rows/txn', n2, bRaw.toFixed(2), rate(n2, bRaw), '1.00×', ''],
    );

    // 3. Replay N events from the start, folding a tally.
    const replayStore = await PostgresEventStore.connect({ connectionString: url, schema: 'replay' });
    await timed(4, sizes.replay / 4 / 1000, (a, i) =>
      replayStore.append(
        `ballot-replay-${a}-${i}`,
        Array.from({ length: 1000 }, (_, k) => ballot(a, k)),
      ),
    );
    await replayRaw(rawClient); // warm the cache for both
    let rOurs = 0;
    let rRaw = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = process.hrtime.bigint();
      const oursTally = await replayOurs(replayStore);
      const t1 = process.hrtime.bigint();
      const rawTally = await replayRaw(rawClient);
      rOurs += Number(t1 - t0) / 1e9;
      rRaw += Number(process.hrtime.bigint() - t1) / 1e9;
      if (oursTally !== rawTally || oursTally !== sizes.replay) throw new Error(`replay tallies differ: ${oursTally} vs ${rawTally}`);
    }
    await replayStore.close();
    rows.push(
      [
        `replay N=${sizes.replay} ×${ROUNDS}, pages of 1000`,
        'ours readAll',
        sizes.replay * ROUNDS,
        rOurs.toFixed(2),
        rate(sizes.replay * ROUNDS, rOurs),
        verdict(rRaw / rOurs, 0.5),
        '',
      ],
      ['', 'raw pg SELECT', sizes.replay * ROUNDS, rRaw.toFixed(2), rate(sizes.replay * ROUNDS, rRaw), '1.00×', ''],
    );
  } finally {
    await ours.close();
    await emmett.close();
    await emmettPool.end();
    await rawClient.end();
    await rawPool.end();
  }
  printTable(['scenario', 'store', 'events', 's', 'events/s', 'vs raw pg', 'vs Emmett'], rows);
  process.stdout.write(`peak RSS ${peakRssMb().toFixed(0)} MB; synchronous_commit on; raw rows go to an identical table (same indexes)\n`);
}

function toEmmett(e: EventData) {
  return { type: e.type, data: e.data as Record<string, unknown>, metadata: e.metadata };
}

/** Our replay: readAll pages from the start, folding a tally of ballots by pot. */
async function replayOurs(store: PostgresEventStore): Promise<number> {
  const tally = new Map<string, number>();
  let after: string = 'start';
  let n = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000 });
    for (const e of page) {
      const pot = (e.data as { pot: string }).pot;
      tally.set(pot, (tally.get(pot) ?? 0) + 1);
      n++;
    }
    if (page.length < 1000) return n;
    after = page[page.length - 1].position;
  }
}

/**
 * The raw baseline: the same rows and columns, keyset pages on the same index, the same tally,
 * read as lean as pg allows (rows as arrays, the time as text), parsing only the data it folds.
 */
async function replayRaw(db: Client): Promise<number> {
  const tally = new Map<string, number>();
  let after: [string, string] = ['0', '0'];
  let n = 0;
  for (;;) {
    const { rows } = await db.query<[string, string, string, string, string, string, string, string, string]>({
      name: 'raw-replay',
      rowMode: 'array',
      text: `SELECT transaction_id::text AS xid, position, event_id, stream_name, revision, type, data, metadata, recorded_at::text AS at
               FROM replay.events WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
              ORDER BY transaction_id, position LIMIT 1000`,
      values: after,
    });
    for (const r of rows) {
      const pot = (JSON.parse(r[6]) as { pot: string }).pot;
      tally.set(pot, (tally.get(pot) ?? 0) + 1);
      n++;
    }
    if (rows.length < 1000) return n;
    after = [rows[rows.length - 1][0], rows[rows.length - 1][1]];
  }
}
