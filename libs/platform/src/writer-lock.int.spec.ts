import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { holdWriterLocks, WriterLock, WriterLockHeldError } from './writer-lock';

const root = join(__dirname, '../../..');
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'civic-writer-lock-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function refusal(run: () => unknown): WriterLockHeldError {
  try {
    run();
  } catch (err) {
    if (err instanceof WriterLockHeldError) return err;
    throw err;
  }
  throw new Error('the lock was taken twice');
}

/** Another process that takes the lock and holds it until killed; resolves once it holds it. */
async function holderProcess(file: string): Promise<{ pid: number; kill: () => Promise<void> }> {
  const script = `const { WriterLock } = require(${JSON.stringify(join(__dirname, 'writer-lock.ts'))});
    WriterLock.acquire(${JSON.stringify(file)}, 'the file', 'holder script');
    process.stdout.write('held\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => c.toString().includes('held') && resolve());
    void exited.then(() => reject(new Error(`the holder exited before holding the lock: ${err}`)));
  });
  return {
    pid: child.pid!,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('WriterLock (one writer per file, released by the kernel when its holder dies)', () => {
  it('refuses a second holder in the same process, naming the first, until it is released', () => {
    const file = join(dir, 'events.sqlite');
    const first = WriterLock.acquire(file, 'the event store', 'api');
    const refused = refusal(() => WriterLock.acquire(file, 'the event store', 'projections rebuild'));
    expect(refused.code).toBe('STORE.LOCKED');
    expect(refused.holder).toEqual({ pid: process.pid, host: hostname(), since: first.holder.since, command: 'api' });
    expect(refused.message).toContain(`the event store is already written by another process: pid ${process.pid} on ${hostname()}`);
    expect(refused.message).toContain(`since ${first.holder.since}, running "api"`);
    first.release();
    first.release();
    const second = WriterLock.acquire(file, 'the event store', 'projections rebuild');
    expect(second.holder.command).toBe('projections rebuild');
    second.release();
  });

  it('refuses while another process holds it, and lets the next one in at once after a SIGKILL', async () => {
    const file = join(dir, 'read-models.sqlite');
    const holder = await holderProcess(file);
    try {
      const refused = refusal(() => WriterLock.acquire(file, 'the read models', 'api'));
      expect(refused.holder).toMatchObject({ pid: holder.pid, host: hostname(), command: 'holder script' });
    } finally {
      await holder.kill();
    }
    const next = WriterLock.acquire(file, 'the read models', 'api');
    expect(next.holder.pid).toBe(process.pid);
    next.release();
  }, 60_000);

  it('holds the read models always and the event store on SQLite only; a refusal releases what it took', () => {
    const config = { EVENT_STORE: 'sqlite', SQLITE_PATH: join(dir, 'events.sqlite'), READ_MODEL_PATH: join(dir, 'read-models.sqlite') };
    const store = WriterLock.acquire(config.SQLITE_PATH, 'the event store', 'other api');
    // The read models are free but the store is not: nothing stays held by the refused one.
    expect(refusal(() => holdWriterLocks(config, 'api')).holder?.command).toBe('other api');
    holdWriterLocks(config, 'projections rebuild', { eventStore: false }).release();
    store.release();
    const postgres = holdWriterLocks({ ...config, EVENT_STORE: 'postgres' }, 'api');
    WriterLock.acquire(config.SQLITE_PATH, 'the event store', 'unrelated').release();
    expect(refusal(() => WriterLock.acquire(config.READ_MODEL_PATH, 'the read models', 'api')).holder?.command).toBe('api');
    postgres.release();
    holdWriterLocks({ ...config, SQLITE_PATH: ':memory:', READ_MODEL_PATH: ':memory:' }, 'api').release();
  });
});
