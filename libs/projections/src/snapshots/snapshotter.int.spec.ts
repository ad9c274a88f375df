import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe(Snapshotter.name, () => {
  it('snapshots the live read models every N events, each equal to a fold from zero to its point, off the fold', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
    for (let n = 0; n < 1000; n += 10)
      await store.append(
        `ballot-${n}`,
        Array.from({ length: 10 }, (_, k) => ballot(n + k)),
      );
    const live = ReadModelDatabase.open(join(dir, 'live.read.sqlite'), [tallyProjection()]);
    const snapshots = new ReadModelSnapshots(join(dir, 'snapshots'), [tallyProjection()]);
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
      snapshot.close();
      fresh.close();
    }
    expect(snapshots.nearest(599)).toBe(400);
    expect(snapshots.nearest(199)).toBeUndefined();
    await sut.stop();
    live.close();
    await store.close();
  });

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
});
