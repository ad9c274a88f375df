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
