import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '@civic/config';
import { SqliteEventStore } from '@civic/event-store-sqlite';
import { ProjectionRunner, ReadModelDatabase, ReadModelSnapshots, Snapshotter } from '@civic/projections';
import { PROJECTIONS, TIME_TRAVEL_PROJECTIONS, TIME_TRAVEL_SET_APART } from '@civic/read-models';
import { TimeTravel } from '../apps/api/src/time-travel/time-travel';
import { foldedFromZero } from '../libs/projections/src/testing/folded-from-zero';
import { buildVotingHistory } from '../bench/areas/time-travel-history';

const EVENTS = 3000;
const EVERY = 250;

const dir = mkdtempSync(join(tmpdir(), 'civic-tt-snapshots-'));
let store: SqliteEventStore;
let live: ReadModelDatabase;
let snapshots: ReadModelSnapshots;
const config = { TIME_TRAVEL_CACHE: 2, TIME_TRAVEL_CACHE_MB: 64, TIME_TRAVEL_CONCURRENCY: 1 } as AppConfig;

/**
 * Every row of every time-travel table, the ballots' included (read by their name, as the
 * projections read them), each table in the order of all its columns.
 */
function dumpAll(rm: ReadModelDatabase): Record<string, unknown[]> {
  const tables = rm.db
    .prepare(
      `SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' ORDER BY name`,
    )
    .pluck()
    .all() as string[];
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const n = (rm.db.prepare(`SELECT count(*) FROM pragma_table_info(?, 'main')`).pluck().get(t) as number) || 1;
    out[t] = rm.db
      .prepare(`SELECT * FROM "${t}" ORDER BY ${Array.from({ length: n }, (_, i) => i + 1).join(', ')}`)
      .raw()
      .all();
  }
  out.search = rm.db.prepare(`SELECT rowid FROM proposals_fts WHERE proposals_fts MATCH 'canal' ORDER BY rowid`).pluck().all();
  return out;
}

/** The read models folded from zero up to `events`, in pages unlike the live fold's, from the stored events. */
const foldedTo = (events: number) => foldedFromZero(store, TIME_TRAVEL_PROJECTIONS, events, 97);

beforeAll(async () => {
  // Funds, pots and proposals, then ballots: cast, replaced (one in seven) and withdrawn (one in fifty).
  buildVotingHistory(join(dir, 'events.sqlite'), EVENTS, 1);
  store = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
  live = ReadModelDatabase.open(join(dir, 'live.read.sqlite'), PROJECTIONS);
  snapshots = new ReadModelSnapshots(join(dir, 'snapshots'), TIME_TRAVEL_PROJECTIONS, { apart: TIME_TRAVEL_SET_APART });
  const snapshotter = new Snapshotter(live, snapshots, EVERY);
  const runner = new ProjectionRunner(store, live, { batchSize: 50, afterBatch: snapshotter.afterBatch });
  await runner.start();
  await runner.stop();
  await snapshotter.stop();
  expect(snapshotter.lastError).toBeUndefined();
}, 60_000);

afterAll(async () => {
  live.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('time travel from snapshots', () => {
  // One page per build (as served), and pages of 7 events, so that later pages read the ballots the earlier ones wrote.
  it.each([undefined, 7])(
    'serves at positions just before, at and after each snapshot exactly the tables a fold from zero holds there (page size %s)',
    async (pageSize) => {
      expect(snapshots.eventCounts).toEqual(Array.from({ length: EVENTS / EVERY }, (_, i) => (i + 1) * EVERY));
      const tt = new TimeTravel(store, live, config, snapshots);
      let replayed = 0;
      tt.hooks = { pageSize, replayed: (n) => (replayed += n) };
      const positions = snapshots.eventCounts.flatMap((s) => [s - 1, s, s + 1, s + 97, s + EVERY - 1]).filter((p) => p <= EVENTS);
      for (const p of positions) {
        tt.clear();
        const before = replayed;
        const got = await tt.read(String(p), (rm) => dumpAll(rm));
        // Built from the snapshot at or before it: at most one interval replayed.
        expect(replayed - before).toBe(p % EVERY === 0 ? 0 : p < EVERY ? p : p % EVERY);
        const want = await foldedTo(p);
        expect({ p, tables: got }).toEqual({ p, tables: dumpAll(want) });
        want.close();
      }
    },
    60_000,
  );

  it('a request holding a database built on a snapshot still reads it after the cache evicts it and the snapshot’s files are removed', async () => {
    const tt = new TimeTravel(store, live, config, snapshots);
    const held = 2 * EVERY + 120;
    let arrived!: () => void;
    const holding = new Promise<void>((r) => (arrived = r));
    let letGo!: () => void;
    const release = new Promise<void>((r) => (letGo = r));
    tt.hooks = {
      beforeRead: (moment) => {
        if (moment.events !== held) return;
        arrived();
        return release;
      },
    };
    const first = tt.read(String(held), (rm) => dumpAll(rm));
    await holding; // it has its database, built on the snapshot at 500, and is about to read it
    // Others evict it (a cache of 2), and the snapshot it reads its ballots from goes.
    for (const p of [EVERY + 3, 3 * EVERY + 7, 4 * EVERY + 11]) await tt.read(String(p), () => undefined);
    expect(tt.cached.entries).toBeLessThanOrEqual(config.TIME_TRAVEL_CACHE);
    const files = [snapshots.file(2 * EVERY), snapshots.apartFile(2 * EVERY)];
    snapshots.drop(2 * EVERY);
    expect(files.filter((f) => existsSync(f))).toEqual([]);
    letGo();
    const want = await foldedTo(held);
    expect(await first).toEqual(dumpAll(want));
    want.close();
    // Asked again, it is built from the snapshot before (at most two intervals replayed) and answers the same.
    let replayed = 0;
    tt.hooks = { replayed: (n) => (replayed += n) };
    tt.clear();
    expect(await tt.read(String(held), (rm) => dumpAll(rm))).toEqual(await first);
    expect(replayed).toBe(held - EVERY);
    tt.clear();
  });
});
