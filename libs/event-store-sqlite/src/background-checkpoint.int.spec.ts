import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BackgroundCheckpoint } from './background-checkpoint';
import { SqliteEventStore } from './sqlite-event-store';

const dir = mkdtempSync(join(tmpdir(), 'civic-sqlite-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const until = async (done: () => boolean) => {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
};

describe(BackgroundCheckpoint.name, () => {
  it('leaves the committing connection no checkpoint of its own, and copies the log into the file from its worker once enough was committed', async () => {
    const path = join(dir, 'worker.sqlite');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    const checkpoints = new BackgroundCheckpoint(db, path, { everyBytes: 100_000 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    db.exec('CREATE TABLE t (x TEXT)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('x'.repeat(200));
    })();
    // Not yet asked: nothing copied into the file (the table is in the log only).
    checkpoints.committed(50_000);
    await new Promise((r) => setTimeout(r, 100));
    const before = statSync(path).size;
    checkpoints.committed(60_000);
    // Asked: under way until the worker answers, and whoever waits for it to be idle is told then.
    expect(checkpoints.busy).toBe(true);
    await checkpoints.idle();
    expect(checkpoints.busy).toBe(false);
    await until(() => statSync(path).size > before + 300_000);
    await checkpoints.close();
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(2000);
    db.close();
  });

  it('gives the connection its own checkpoints back when the worker cannot open the file', async () => {
    const path = join(dir, 'fallback.sqlite');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    const errors: Error[] = [];
    const checkpoints = new BackgroundCheckpoint(db, join(dir, 'no-such-folder', 'x.sqlite'), {
      everyBytes: 1,
      onError: (e) => errors.push(e),
    });
    checkpoints.committed(10);
    await until(() => errors.length > 0);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await checkpoints.close();
    db.close();
  });

  it('keeps an event store whole across many groups written with its checkpoints in the background, and after a reopen', async () => {
    const path = join(dir, 'store.sqlite');
    let store = new SqliteEventStore({ path });
    const big = 'y'.repeat(2000);
    for (let g = 0; g < 6; g++) {
      await store.appendToStreams(
        Array.from({ length: 500 }, (_, i) => ({
          streamName: `resident-${g}-${i}`,
          events: [{ id: `00000000-0000-4000-8000-${String(g * 1000 + i).padStart(12, '0')}`, type: 'A', data: { big } }],
          expectedRevision: 'no_stream' as const,
        })),
      );
    }
    await store.close();
    store = new SqliteEventStore({ path });
    const all = await store.readAll({ maxCount: 10_000 });
    expect(all).toHaveLength(3000);
    expect(all.map((e) => Number(e.position))).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    await store.close();
  });
});
