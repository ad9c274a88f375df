import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract } from '@civic/event-store/testing';
import { SqliteEventStore } from './sqlite-event-store';

const dir = mkdtempSync(join(tmpdir(), 'civic-sqlite-'));
let n = 0;

eventStoreContract('sqlite (a real file)', {
  create: async () => new SqliteEventStore({ path: join(dir, `store-${++n}.sqlite`) }),
  reopen: async (store) => {
    await store.close();
    return new SqliteEventStore({ path: (store as SqliteEventStore).path });
  },
  teardown: async () => rmSync(dir, { recursive: true, force: true }),
});

describe('SqliteEventStore specifics', () => {
  it('commits concurrent appends together: one transaction for many requests, each with its own result', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'group.sqlite') });
    await store.append('fund-g', [{ id: '00000000-0000-4000-8000-000000000001', type: 'A', data: {} }]);
    const before = store.stats().commits;
    const results = await Promise.allSettled([
      ...Array.from({ length: 31 }, (_, i) =>
        store.append(
          `ballot-g-${i}`,
          [{ id: `00000000-0000-4000-8000-1000000000${String(i).padStart(2, '0')}`, type: 'BallotCast', data: { i } }],
          {
            expectedRevision: 'no_stream',
          },
        ),
      ),
      store.append('fund-g', [{ id: '00000000-0000-4000-8000-000000000002', type: 'B', data: {} }], { expectedRevision: 7 }),
    ]);
    expect(results.slice(0, 31).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(results[31].status).toBe('rejected');
    expect(store.stats().commits - before).toBe(1);
    expect(await store.readAll()).toHaveLength(32);
    await store.close();
  });

  it('acknowledges an append, and shows it to readAll, subscribers and headPosition, only once its commit is synced', async () => {
    const held: Array<() => void> = [];
    const store = new SqliteEventStore({
      path: join(dir, 'held-sync.sqlite'),
      syncFile: () => new Promise<void>((resolve) => held.push(resolve)),
    });
    const seen: string[] = [];
    const subscription = store.subscribeAll();
    void (async () => {
      for await (const e of subscription) seen.push(e.id);
    })();
    let acknowledged = false;
    const id = '00000000-0000-4000-8000-000000000a01';
    const append = store.append('ballot-h-1', [{ id, type: 'BallotCast', data: {} }]).then((r) => {
      acknowledged = true;
      return r;
    });
    while (held.length === 0) await new Promise((r) => setTimeout(r, 5));
    // Committed, not yet synced: the event loop is free, and nothing that outlives a power cut has seen it.
    await new Promise((r) => setTimeout(r, 50));
    expect(acknowledged).toBe(false);
    expect(await store.readAll()).toEqual([]);
    expect(await store.headPosition()).toBe('start');
    expect(seen).toEqual([]);
    // Commands read their own stream as committed (their own ack waits for a later sync that covers it).
    expect((await store.readStream('ballot-h-1')).map((e) => e.id)).toEqual([id]);
    held.shift()!();
    const result = await append;
    expect(acknowledged).toBe(true);
    expect((await store.readAll()).map((e) => e.id)).toEqual([id]);
    expect(await store.headPosition()).toBe(result.position);
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual([id]);
    await subscription.stop();
    await store.close();
  });

  it('shows a reader on the same file (another process, the audit tool) what the writer has synced', async () => {
    const path = join(dir, 'two-handles.sqlite');
    const writer = new SqliteEventStore({ path });
    const reader = new SqliteEventStore({ path, pollIntervalMs: 20 });
    const seen: string[] = [];
    const subscription = reader.subscribeAll();
    void (async () => {
      for await (const e of subscription) seen.push(e.id);
    })();
    const ids = ['00000000-0000-4000-8000-000000000c01', '00000000-0000-4000-8000-000000000c02'];
    for (const id of ids) await writer.append(`ballot-r-${id}`, [{ id, type: 'BallotCast', data: {} }]);
    expect((await reader.readAll()).map((e) => e.id)).toEqual(ids);
    expect(await reader.headPosition()).toBe(await writer.headPosition());
    const deadline = Date.now() + 5000;
    while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual(ids);
    await subscription.stop();
    await reader.close();
    await writer.close();
  });

  it('refuses every write after a failed sync, naming the cause', async () => {
    let fail = true;
    const store = new SqliteEventStore({
      path: join(dir, 'failed-sync.sqlite'),
      syncFile: async () => {
        if (fail) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
      },
    });
    const first = store.append('ballot-f-1', [{ id: '00000000-0000-4000-8000-000000000b01', type: 'BallotCast', data: {} }]);
    await expect(first).rejects.toMatchObject({ code: 'EVENT_STORE.UNAVAILABLE', message: expect.stringContaining('EIO') });
    fail = false;
    // The kernel may have dropped what it could not write: a later sync would not prove it is there.
    await expect(
      store.append('ballot-f-2', [{ id: '00000000-0000-4000-8000-000000000b02', type: 'BallotCast', data: {} }]),
    ).rejects.toMatchObject({ code: 'EVENT_STORE.UNAVAILABLE' });
    expect(await store.readAll()).toEqual([]);
    await store.close();
  });

  it('keeps every acknowledged append when the process is killed', async () => {
    const { spawn } = await import('node:child_process');
    const path = join(dir, 'crash.sqlite');
    const script = `
      require('ts-node').register({ transpileOnly: true });
      require('tsconfig-paths/register');
      const { SqliteEventStore } = require('./libs/event-store-sqlite/src');
      const { randomUUID } = require('node:crypto');
      const store = new SqliteEventStore({ path: ${JSON.stringify(path)} });
      let i = 0;
      (function next() {
        const n = i++;
        store.append('ballot-c-' + n, [{ id: randomUUID(), type: 'BallotCast', data: { n } }]).then(() => {
          process.stdout.write(n + '\\n');
          next();
        });
      })();`;
    const child = spawn(process.execPath, ['-e', script], { cwd: join(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'inherit'] });
    const acked: number[] = [];
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) if (line) acked.push(Number(line));
        if (acked.length >= 200) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((r) => child.on('exit', r));
    const store = new SqliteEventStore({ path });
    const stored = new Set((await store.readAll({ maxCount: 100_000 })).map((e) => (e.data as { n: number }).n));
    for (const n of acked) expect(stored.has(n)).toBe(true);
    await store.close();
  }, 60_000);
});
