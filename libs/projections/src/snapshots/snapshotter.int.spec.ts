import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@civic/event-store-sqlite';
import { ProjectionRunner } from '../projection-runner';
import { ReadModelDatabase } from '../read-model-database';
import { foldedFromZero } from '../testing/folded-from-zero';
import { tallyProjection } from '../testing/tally-projection';
import { ReadModelSnapshots } from './read-model-snapshots';
import { Snapshotter } from './snapshotter';

const dir = mkdtempSync(join(tmpdir(), 'civic-snap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ballot = (n: number) => ({ id: randomUUID(), type: 'BallotCast', data: { picks: [`p${n % 7}`] } });
const dump = (rm: ReadModelDatabase) => rm.db.prepare('SELECT key, n FROM test_tally ORDER BY key').all();

const foldedTo = (store: SqliteEventStore, events: number) => foldedFromZero(store, [tallyProjection()], events);

/** A store of `events` ballots in a folder of its own, and its live read models, to be folded with snapshots. */
async function history(name: string, events: number, apart: string[]) {
  const at = join(dir, name);
  const store = new SqliteEventStore({ path: join(at, 'events.sqlite') });
  for (let n = 0; n < events; n += 10)
    await store.append(
      `ballot-${n}`,
      Array.from({ length: 10 }, (_, k) => ballot(n + k)),
    );
  const live = ReadModelDatabase.open(join(at, 'live.read.sqlite'), [tallyProjection()]);
  const root = join(at, 'snapshots');
  return { store, live, root, snapshots: new ReadModelSnapshots(root, [tallyProjection()], { apart }) };
}

describe(Snapshotter.name, () => {
  it.each([{ apart: [] }, { apart: ['test_tally'] }])(
    'snapshots the live read models every N events, each equal to a fold from zero to its point, off the fold (set apart: %j)',
    async ({ apart }) => {
      const { store, live, snapshots } = await history(`layout-${apart.length}`, 1000, apart);
      const sut = new Snapshotter(live, snapshots, 200);
      const runner = new ProjectionRunner(store, live, { batchSize: 50, afterBatch: sut.afterBatch });
      await runner.start();
      await runner.stop();
      await sut.idle();
      expect(sut.lastError).toBeUndefined();
      // Due at every 200 events; each copy starts exactly at the end of the batch that made it due.
      expect(snapshots.eventCounts).toEqual([200, 400, 600, 800, 1000]);
      for (const at of snapshots.eventCounts) {
        const snapshot = (await snapshots.load(at))!;
        const fresh = await foldedTo(store, at);
        expect(dump(snapshot)).toEqual(dump(fresh));
        expect(snapshot.checkpoint()).toBe(fresh.checkpoint());
        // A table set apart has its rows in the second file only, read in place.
        const rows = (file: string) => {
          const db = new Database(file, { readonly: true });
          const n = db.prepare('SELECT count(*) FROM test_tally').pluck().get();
          db.close();
          return n;
        };
        expect(rows(snapshots.file(at))).toBe(apart.length > 0 ? 0 : dump(fresh).length);
        expect(existsSync(snapshots.apartFile(at))).toBe(apart.length > 0);
        if (apart.length > 0) expect(rows(snapshots.apartFile(at))).toBe(dump(fresh).length);
        snapshot.close();
        fresh.close();
      }
      expect(snapshots.nearest(599)).toBe(400);
      expect(snapshots.nearest(199)).toBeUndefined();
      await sut.stop();
      live.close();
      await store.close();
    },
  );

  it('starts a new folder when a projection’s version changes, and forgets a torn file', async () => {
    const root = join(dir, 'versions');
    const v1 = new ReadModelSnapshots(root, [tallyProjection(1)]);
    const image = ReadModelDatabase.open(join(dir, 'v1.read.sqlite'), [tallyProjection(1)]);
    image.setCheckpoint('5', 5);
    image.db.exec(`VACUUM INTO '${v1.file(5)}'`);
    image.close();
    v1.added(5);
    expect((await new ReadModelSnapshots(root, [tallyProjection(1)]).load(5))?.eventCount()).toBe(5);
    const bytes = readFileSync(v1.file(5));

    const v2 = new ReadModelSnapshots(root, [tallyProjection(2)]);
    expect(v2.nearest(10)).toBeUndefined();
    expect(readdirSync(root)).toEqual([v2.dir.split('/').pop()]); // the version 1 folder is gone
    // A snapshot written by other projections is refused even if it lands in the folder.
    expect(ReadModelDatabase.fromImage(bytes, [tallyProjection(2)])).toBeUndefined();
    expect(ReadModelDatabase.fromImage(bytes, [tallyProjection(1)])?.eventCount()).toBe(5);
    writeFileSync(v2.file(7), 'not a database');
    v2.added(7);
    expect(await v2.load(7)).toBeUndefined();
    expect(v2.nearest(10)).toBeUndefined();
  });

  it('forgets a snapshot whose set-apart file is missing, cut short, or of another point, never writes one it reads, and still reads a whole one', async () => {
    const { store, live, root, snapshots } = await history('torn-apart', 600, ['test_tally']);
    const sut = new Snapshotter(live, snapshots, 200);
    const runner = new ProjectionRunner(store, live, { batchSize: 50, afterBatch: sut.afterBatch });
    await runner.start();
    await runner.stop();
    await sut.stop();
    expect(snapshots.eventCounts).toEqual([200, 400, 600]);
    const bytes = readFileSync(snapshots.apartFile(600));
    // Folding on from a snapshot leaves its files as they were.
    const loaded = (await snapshots.load(600))!;
    loaded.db.prepare(`INSERT OR REPLACE INTO test_tally (key, n) VALUES ('pick:p1', 999)`).run();
    loaded.db.prepare(`DELETE FROM test_tally WHERE key = 'pick:p2'`).run();
    expect(loaded.db.prepare(`SELECT n FROM test_tally WHERE key IN ('pick:p1', 'pick:p2')`).pluck().all()).toEqual([999]);
    loaded.close();
    expect(readFileSync(snapshots.apartFile(600)).equals(bytes)).toBe(true);

    rmSync(snapshots.apartFile(200)); // missing
    copyFileSync(snapshots.apartFile(600), snapshots.apartFile(400)); // another point's rows
    writeFileSync(join(snapshots.dir, '000000000900.apart.sqlite'), 'a second file without its first');
    const again = new ReadModelSnapshots(root, [tallyProjection()], { apart: ['test_tally'] });
    expect(existsSync(join(snapshots.dir, '000000000900.apart.sqlite'))).toBe(false);
    expect(await again.load(200)).toBeUndefined();
    expect(await again.load(400)).toBeUndefined();
    expect(again.eventCounts).toEqual([600]);
    expect(readdirSync(again.dir).sort()).toEqual(['000000000600.apart.sqlite', '000000000600.sqlite']);

    // A snapshot taken before tables were set apart (whole, in one file) still loads, and is never written either.
    const whole = ReadModelDatabase.open(join(dir, 'whole.read.sqlite'), [tallyProjection()]);
    whole.db.prepare(`INSERT INTO test_tally (key, n) VALUES ('pick:p1', 5), ('pick:p2', 6)`).run();
    whole.setCheckpoint('42', 42);
    whole.db.exec(`VACUUM INTO '${again.file(42)}'`);
    whole.close();
    again.added(42);
    const image = readFileSync(again.file(42));
    const old = (await again.load(42))!;
    old.db.prepare(`DELETE FROM test_tally WHERE key = 'pick:p2'`).run();
    expect(old.db.prepare(`SELECT key, n FROM test_tally`).raw().all()).toEqual([['pick:p1', 5]]);
    expect(old.db.prepare(`SELECT count(*) FROM main.test_tally`).pluck().get()).toBe(2); // through the overlay
    old.close();
    expect(readFileSync(again.file(42)).equals(image)).toBe(true);
    live.close();
    await store.close();
  });
});
