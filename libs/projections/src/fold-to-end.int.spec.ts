import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@civic/event-store-sqlite';
import { foldToEnd } from './fold-to-end';
import { ProjectionRunner } from './projection-runner';
import { ReadModelDatabase } from './read-model-database';
import { tallyProjection } from './testing/tally-projection';

const dir = mkdtempSync(join(tmpdir(), 'civic-fold-end-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ballot = (n: number) => ({ id: randomUUID(), type: 'BallotCast', data: { picks: [`p${n % 7}`, `p${(n * 3) % 11}`] } });
const dump = (rm: ReadModelDatabase) => rm.db.prepare('SELECT key, n FROM test_tally ORDER BY key').all();

describe(foldToEnd.name, () => {
  it('folds the log in big pages, in bulk, into exactly what the live runner folds, and resumes from a checkpoint', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
    for (let n = 0; n < 500; n += 5)
      await store.append(
        `${n % 2 ? 'ballot' : 'vote'}-pot-${n}`,
        Array.from({ length: 5 }, (_, k) => ballot(n + k)),
      );
    const live = ReadModelDatabase.open(join(dir, 'live.read.sqlite'), [tallyProjection()]);
    const runner = new ProjectionRunner(store, live, { batchSize: 64 });
    await runner.start();
    await runner.stop();

    const rebuilt = ReadModelDatabase.open(join(dir, 'rebuilt.read.sqlite'), [tallyProjection()]);
    rebuilt.beginBulkLoad();
    const progress: number[] = [];
    expect(await foldToEnd(store, rebuilt, { pageSize: 128, onProgress: (n) => progress.push(n) })).toBe(500);
    rebuilt.endBulkLoad();
    expect(progress).toEqual([128, 256, 384, 500]);
    expect(dump(rebuilt)).toEqual(dump(live));
    expect(dump(rebuilt).length).toBeGreaterThan(10);
    expect(rebuilt.checkpoint()).toBe(live.checkpoint());
    expect(rebuilt.eventCount()).toBe(500);
    expect(rebuilt.db.pragma('journal_mode', { simple: true })).toBe('wal');

    // More events, then a fold from the stored checkpoint on: only the new ones are read.
    for (let n = 500; n < 530; n++) await store.append(`ballot-pot-${n}`, [ballot(n)]);
    expect(await foldToEnd(store, rebuilt)).toBe(30);
    const again = new ProjectionRunner(store, live);
    await again.start();
    await again.stop();
    expect(dump(rebuilt)).toEqual(dump(live));
    expect(rebuilt.eventCount()).toBe(live.eventCount());
    live.close();
    rebuilt.close();
    await store.close();
  });
});
