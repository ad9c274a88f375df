import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SqliteEventStore } from '@civic/event-store-sqlite';
import { batchFolder } from './fold';
import { ProjectionRunner } from './projection-runner';
import { ReadModelDatabase } from './read-model-database';
import { tallyProjection } from './testing/tally-projection';

const dir = mkdtempSync(join(tmpdir(), 'civic-proj-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ballot = (n: number) => ({ id: randomUUID(), type: 'BallotCast', data: { picks: [`p${n % 7}`, `p${(n * 3) % 11}`] } });
const dump = (rm: ReadModelDatabase) => rm.db.prepare('SELECT key, n FROM test_tally ORDER BY key').all();
const expectedTally = (count: number, extra: Record<string, number> = {}) => {
  const t = new Map<string, number>(Object.entries(extra));
  for (let n = 0; n < count; n++) {
    t.set('category:ballot', (t.get('category:ballot') ?? 0) + 1);
    for (const p of ballot(n).data.picks) t.set(`pick:${p}`, (t.get(`pick:${p}`) ?? 0) + 1);
  }
  return [...t].map(([key, n]) => ({ key, n })).sort((a, b) => (a.key < b.key ? -1 : 1));
};

describe(ProjectionRunner.name, () => {
  it('folds the history, follows live appends, and a rebuild from zero equals the live read model', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'live.sqlite') });
    for (let n = 0; n < 300; n++) await store.append(`ballot-pot-${n}`, [ballot(n)]);
    const live = ReadModelDatabase.open(join(dir, 'live.read.sqlite'), [tallyProjection()]);
    const sut = new ProjectionRunner(store, live, { batchSize: 64 });
    await sut.start();
    expect(dump(live)).toEqual(expectedTally(300));
    // Live: 32 concurrent writers.
    let next = 300;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < 1300) {
          const n = next++;
          const { position } = await store.append(`ballot-pot-${n}`, [ballot(n)]);
          if (n % 50 === 0) await sut.waitFor(position);
        }
      }),
    );
    await sut.waitFor((await store.headPosition()) as string);
    expect(dump(live)).toEqual(expectedTally(1300));
    await sut.stop();

    const rebuilt = ReadModelDatabase.open(join(dir, 'rebuilt.read.sqlite'), [tallyProjection()]);
    const again = new ProjectionRunner(store, rebuilt);
    await again.start();
    await again.stop();
    expect(dump(rebuilt)).toEqual(dump(live));
    expect(rebuilt.checkpoint()).toBe(live.checkpoint());
    live.close();
    rebuilt.close();
    await store.close();
  });

  it('keeps no event it has folded while it runs (a long history or a large import does not stay in memory)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const store = new SqliteEventStore({ path: join(dir, 'held.sqlite') });
    const rm = ReadModelDatabase.open(join(dir, 'held.read.sqlite'), [tallyProjection()]);
    const sut = new ProjectionRunner(store, rm, { batchSize: 50 });
    const folded: WeakRef<object>[] = [];
    sut.onFolded((events) => events.forEach((e) => folded.push(new WeakRef(e))));
    await sut.start();
    for (let n = 0; n < 1000; n++) await store.append(`ballot-pot-${n}`, [ballot(n)]);
    await sut.waitFor((await store.headPosition()) as string);
    expect(folded).toHaveLength(1000);
    // A few turns of the loop and two collections: what nothing holds is gone.
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    gc();
    gc();
    expect(folded.filter((ref) => ref.deref() !== undefined).length).toBeLessThan(10);
    await sut.stop();
    rm.close();
    await store.close();
  });

  it('makes a command’s effect readable as soon as waitFor resolves (read your writes)', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'ryw.sqlite') });
    const rm = ReadModelDatabase.open(join(dir, 'ryw.read.sqlite'), [tallyProjection()]);
    const sut = new ProjectionRunner(store, rm);
    await sut.start();
    for (let n = 0; n < 20; n++) {
      const { position } = await store.append(`ballot-pot-${n}`, [ballot(n)]);
      await sut.waitFor(position);
      expect(rm.db.prepare(`SELECT n FROM test_tally WHERE key = 'category:ballot'`).get()).toEqual({ n: n + 1 });
    }
    await sut.stop();
    rm.close();
    await store.close();
  });

  it('hands a waiter the event as recorded when it is folded during the wait, and nothing when it was folded before', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'recorded.sqlite') });
    const rm = ReadModelDatabase.open(join(dir, 'recorded.read.sqlite'), [tallyProjection()]);
    const sut = new ProjectionRunner(store, rm);
    await sut.start();
    const event = ballot(1);
    const { position } = await store.append('ballot-pot-1', [{ ...event, metadata: { note: 'as stored' } }]);
    const [waited, again] = [await sut.waitFor(position), await sut.waitFor(position)];
    expect(waited).toMatchObject({ id: event.id, position, streamName: 'ballot-pot-1', revision: 0, metadata: { note: 'as stored' } });
    expect(again).toBeUndefined();
    await sut.stop();
    rm.close();
    await store.close();
  });

  it('remembers the last `rememberPositions` positions folded, forgetting the oldest first', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'remember.sqlite') });
    const positions: string[] = [];
    for (let n = 0; n < 7; n++) positions.push((await store.append(`ballot-pot-${n}`, [ballot(n)])).position);
    const rm = ReadModelDatabase.open(join(dir, 'remember.read.sqlite'), [tallyProjection()]);
    const sut = new ProjectionRunner(store, rm, { rememberPositions: 3 });
    await sut.start();
    // Remembered: answered at once (nothing to hand over); forgotten: waited for until the timeout.
    for (const position of positions.slice(4)) await expect(sut.waitFor(position, 0)).resolves.toBeUndefined();
    for (const position of positions.slice(0, 4)) await expect(sut.waitFor(position, 0)).rejects.toThrow(/did not reach/);
    await sut.stop();
    rm.close();
    await store.close();
  });

  it('leaves the log of a read-model file to a worker from its first batch on, never to the connection that folds', () => {
    const path = join(dir, 'checkpointed.read.sqlite');
    const rm = ReadModelDatabase.open(path, [tallyProjection()]);
    const inMemory = ReadModelDatabase.open(':memory:', [tallyProjection()]);
    const events = Array.from({ length: 2000 }, (_, n) => ({
      ...ballot(n),
      streamName: `ballot-pot-${n}`,
      revision: 0,
      position: String(n + 1),
      recordedAt: new Date(0).toISOString(),
      metadata: {},
    }));
    expect(rm.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    batchFolder(rm)(events);
    batchFolder(inMemory)(events);
    expect(rm.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    expect(inMemory.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    rm.close();
    inMemory.close();
    const reopened = ReadModelDatabase.open(path, [tallyProjection()]);
    expect(dump(reopened)).toEqual(expectedTally(2000));
    expect(reopened.checkpoint()).toBe('2000');
    reopened.close();
  });

  it('rebuilds from zero when a projection’s version changes', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'ver.sqlite') });
    for (let n = 0; n < 10; n++) await store.append(`ballot-pot-${n}`, [ballot(n)]);
    const path = join(dir, 'ver.read.sqlite');
    let rm = ReadModelDatabase.open(path, [tallyProjection(1)]);
    let sut = new ProjectionRunner(store, rm);
    await sut.start();
    await sut.stop();
    rm.db.prepare(`UPDATE test_tally SET n = 999`).run(); // what an old version's bug might have left
    rm.close();
    rm = ReadModelDatabase.open(path, [tallyProjection(2)]);
    expect(rm.checkpoint()).toBe('start');
    sut = new ProjectionRunner(store, rm);
    await sut.start();
    await sut.stop();
    expect(dump(rm)).toEqual(expectedTally(10));
    rm.close();
    await store.close();
  });

  it('never counts an event twice or misses one when the process is killed while folding', async () => {
    const storePath = join(dir, 'crash.sqlite');
    const readPath = join(dir, 'crash.read.sqlite');
    const store = new SqliteEventStore({ path: storePath });
    const total = 20_000;
    for (let n = 0; n < total; n += 500) {
      await store.append(
        `ballot-bulk-${n}`,
        Array.from({ length: 500 }, (_, k) => ballot(n + k)),
      );
    }
    await store.close();
    const root = join(__dirname, '../../..');
    const script = join(dir, 'crash-child.js');
    writeFileSync(
      script,
      `require(${JSON.stringify(join(root, 'node_modules/ts-node'))}).register({ transpileOnly: true });
       require(${JSON.stringify(join(root, 'node_modules/tsconfig-paths/register'))});
       const { SqliteEventStore } = require(${JSON.stringify(join(root, 'libs/event-store-sqlite/src'))});
       const { ProjectionRunner, ReadModelDatabase } = require(${JSON.stringify(join(root, 'libs/projections/src'))});
       const { tallyProjection } = require(${JSON.stringify(join(root, 'libs/projections/src/testing/tally-projection'))});
       const store = new SqliteEventStore({ path: ${JSON.stringify(storePath)} });
       // Freezes (the kill then lands exactly there) after the n-th batch stored ("after:n"), or
       // inside a batch's transaction after the n-th event applied ("inside:n"); says which
       // position the stored checkpoint must be at.
       const [mode, n] = process.argv[2].split(':');
       const freeze = () => {
         process.send(stored);
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
       };
       const tally = tallyProjection();
       let applied = 0;
       const projection = { ...tally, apply: (db, e) => {
         tally.apply(db, e);
         if (mode === 'inside' && ++applied === Number(n)) freeze();
       } };
       const rm = ReadModelDatabase.open(${JSON.stringify(readPath)}, [projection]);
       let stored = String(rm.checkpoint());
       let folded = 0;
       const runner = new ProjectionRunner(store, rm, { batchSize: 37 });
       runner.onFolded((batch) => {
         stored = batch[batch.length - 1].position;
         if (mode === 'after' && ++folded === Number(n)) freeze();
       });
       runner.start();`,
    );
    const checkpoints: string[] = [];
    for (const stopAt of ['after:1', 'inside:50', 'after:2']) {
      const child = fork(script, [stopAt], { cwd: root, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      const expected = await Promise.race([
        new Promise<string>((r) => child.once('message', (position) => r(String(position)))),
        new Promise<undefined>((r) => child.once('exit', () => r(undefined))),
      ]);
      expect(expected).toBeDefined();
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const peek = ReadModelDatabase.open(readPath, [tallyProjection()]);
      // The last batch stored is kept whole with its checkpoint; the one killed mid-way left nothing.
      expect(String(peek.checkpoint())).toBe(expected);
      checkpoints.push(String(peek.checkpoint()));
      peek.close();
    }
    // The kills landed part-way through the history, not before or after all of it.
    expect(checkpoints.some((c) => c !== 'start' && Number(c) < total)).toBe(true);
    const reopened = new SqliteEventStore({ path: storePath });
    const rm = ReadModelDatabase.open(readPath, [tallyProjection()]);
    const sut = new ProjectionRunner(reopened, rm);
    await sut.start();
    await sut.stop();
    const bulk = expectedTally(total).map((r) => r);
    expect(dump(rm)).toEqual(bulk);
    rm.close();
    await reopened.close();
  }, 120_000);
});
