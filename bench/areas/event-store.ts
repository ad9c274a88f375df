/**
 * `npm run bench -- event-store`: the embedded SQLite store against plain better-sqlite3
 * doing the same work at the same durability (WAL, synchronous = FULL), in the same run.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EventData, Position, Start } from '@civic/event-store';
import { SqliteEventStore } from '@civic/event-store-sqlite';
import { peakRssMb, printTable, verdict } from '../table';

const CONCURRENCY = 32;

interface Row {
  id: string;
  stream: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

function ballot(n: number): EventData {
  return {
    id: randomUUID(),
    type: 'BallotCast',
    data: { pot: `pot-${n % 21}`, picks: [`p${n % 83}`, `p${(n * 7) % 83}`, `p${(n * 13) % 83}`] },
    metadata: { commandId: randomUUID(), actor: { role: 'resident', id: `v${n}` }, schemaVersion: 1 },
  };
}

function toRow(e: EventData, stream: string, revision: number): Row {
  return { id: e.id, stream, revision, type: e.type, data: JSON.stringify(e.data), metadata: JSON.stringify(e.metadata ?? {}) };
}

/** The raw driver on a file with the store's own schema: the same rows, the same indexes, the same sync. */
function openRaw(path: string) {
  new SqliteEventStore({ path }).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const insert = db.prepare(
    `INSERT INTO events (event_id, stream_name, stream_category, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMany = db.transaction((rows: Row[]) => {
    const at = new Date().toISOString();
    for (const r of rows) insert.run(r.id, r.stream, r.stream.split('-')[0], r.revision, r.type, r.data, r.metadata, at);
  });
  return { db, insertMany };
}

async function timed(fn: () => Promise<void> | void): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Replays the store at `path` into a tally, page by page, and reports time, tally and peak memory. */
export async function replay(path: string): Promise<{ seconds: number; tally: [string, number][]; peakMb: number }> {
  const store = new SqliteEventStore({ path });
  const tally = new Map<string, number>();
  const seconds = await timed(async () => {
    let after: Position | Start = 'start';
    for (;;) {
      const page = await store.readAll({ after, maxCount: 1000 });
      for (const e of page) for (const p of (e.data as { picks: string[] }).picks) tally.set(p, (tally.get(p) ?? 0) + 1);
      if (page.length < 1000) break;
      after = page[page.length - 1].position;
    }
  });
  await store.close();
  return { seconds, tally: [...tally].sort(), peakMb: peakRssMb() };
}

function replayInChild(path: string): Promise<{ seconds: number; tally: [string, number][]; peakMb: number }> {
  const script = `require('./bench/areas/event-store').replay(${JSON.stringify(path)}).then((r) => process.stdout.write(JSON.stringify(r)))`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', script],
      { cwd: join(__dirname, '../..'), maxBuffer: 1 << 20 },
      (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout))),
    );
  });
}

export async function run(flags: string[]): Promise<void> {
  const quick = flags.includes('--quick');
  const dir = mkdtempSync(join(tmpdir(), 'civic-bench-'));
  const rows: (string | number)[][] = [];
  const rate = (n: number, s: number) => Math.round(n / s);
  try {
    // 1. Sequential: one event per append, each durable.
    const seqN = quick ? 200 : 1000;
    {
      const store = new SqliteEventStore({ path: join(dir, 'seq.sqlite') });
      const ours = await timed(async () => {
        for (let i = 0; i < seqN; i++) await store.append(`ballot-s-${i}`, [ballot(i)], { expectedRevision: 'no_stream' });
      });
      await store.close();
      const raw = openRaw(join(dir, 'seq-raw.sqlite'));
      const base = await timed(() => {
        for (let i = 0; i < seqN; i++) raw.insertMany([toRow(ballot(i), `ballot-s-${i}`, 0)]);
      });
      raw.db.close();
      rows.push([
        'sequential appends, 1 event each',
        seqN,
        rate(seqN, ours),
        rate(seqN, base),
        'raw: 1 row per durable tx',
        `${(base / ours).toFixed(2)}×`,
      ]);
    }

    // 2. 32 concurrent appenders, one ballot per append, each to its own stream.
    const concN = quick ? 3200 : 32_000;
    {
      const store = new SqliteEventStore({ path: join(dir, 'conc.sqlite') });
      const appendAll = (prefix: string, count: number) => {
        let next = 0;
        return Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < count) {
              const i = next++;
              await store.append(`ballot-${prefix}-${i}`, [ballot(i)], { expectedRevision: 'no_stream' });
            }
          }),
        ).then(() => undefined);
      };
      await appendAll('warm', 2000); // JIT warm-up, as the raw driver's loop is below
      const commitsBefore = store.stats().commits;
      const ours = await timed(() => appendAll('c', concN));
      const commits = store.stats().commits - commitsBefore;
      await store.close();
      const raw = openRaw(join(dir, 'conc-raw.sqlite'));
      for (let i = 0; i < 2000; i += CONCURRENCY)
        raw.insertMany(Array.from({ length: CONCURRENCY }, (_, k) => toRow(ballot(i + k), `ballot-warm-${i + k}`, 0)));
      const base = await timed(() => {
        for (let i = 0; i < concN; i += CONCURRENCY) {
          raw.insertMany(Array.from({ length: Math.min(CONCURRENCY, concN - i) }, (_, k) => toRow(ballot(i + k), `ballot-c-${i + k}`, 0)));
        }
      });
      raw.db.close();
      rows.push([
        `${CONCURRENCY} concurrent appenders (${(concN / commits).toFixed(1)} appends/commit)`,
        concN,
        rate(concN, ours),
        rate(concN, base),
        `raw: ${CONCURRENCY} rows per durable tx`,
        verdict(base / ours, 0.7),
      ]);
    }

    // 3. Batches of 100 events per append.
    const batchN = quick ? 100 : 500;
    {
      const store = new SqliteEventStore({ path: join(dir, 'batch.sqlite') });
      const ours = await timed(async () => {
        for (let b = 0; b < batchN; b++) {
          await store.append(
            `import-${b}`,
            Array.from({ length: 100 }, (_, k) => ballot(b * 100 + k)),
            { expectedRevision: 'no_stream' },
          );
        }
      });
      await store.close();
      const raw = openRaw(join(dir, 'batch-raw.sqlite'));
      const base = await timed(() => {
        for (let b = 0; b < batchN; b++)
          raw.insertMany(Array.from({ length: 100 }, (_, k) => toRow(ballot(b * 100 + k), `import-${b}`, k)));
      });
      raw.db.close();
      rows.push([
        'batches of 100 events',
        batchN * 100,
        rate(batchN * 100, ours),
        rate(batchN * 100, base),
        'raw: 100 rows per durable tx',
        `${(base / ours).toFixed(2)}×`,
      ]);
    }

    // 4. Replay: read the whole log in global order and fold it into a tally.
    const replayN = quick ? 100_000 : 1_000_000;
    {
      const path = join(dir, 'replay.sqlite');
      const raw = openRaw(path);
      raw.db.pragma('synchronous = OFF');
      for (let i = 0; i < replayN; i += 10_000) {
        raw.insertMany(Array.from({ length: Math.min(10_000, replayN - i) }, (_, k) => toRow(ballot(i + k), `ballot-r-${i + k}`, 0)));
      }
      const rawTally = new Map<string, number>();
      const base = await timed(() => {
        for (const r of raw.db.prepare('SELECT data FROM events ORDER BY position').iterate() as IterableIterator<{ data: string }>) {
          for (const p of (JSON.parse(r.data) as { picks: string[] }).picks) rawTally.set(p, (rawTally.get(p) ?? 0) + 1);
        }
      });
      raw.db.close();
      // Our replay runs in a child process, so that its peak memory is its own.
      const child = await replayInChild(path);
      if (JSON.stringify(child.tally) !== JSON.stringify([...rawTally].sort())) throw new Error('replay tallies differ');
      const ours = child.seconds;
      rows.push([
        'replay into a tally (readAll pages)',
        replayN,
        rate(replayN, ours),
        rate(replayN, base),
        'raw: SELECT … ORDER BY position',
        verdict(base / ours, 0.5),
      ]);
      rows.push([
        'peak memory of the replaying process (MB)',
        replayN,
        Math.round(child.peakMb),
        '',
        '',
        child.peakMb < 300 ? 'target < 300 MB: ok' : 'target < 300 MB: MISSED',
      ]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(['scenario (SQLite, durable)', 'events', 'ours ev/s', 'raw ev/s', 'baseline', 'ours ÷ raw'], rows);
}
