import Database from 'better-sqlite3';
import { CHECKPOINT_STREAM } from '../../checkpoint/checkpoint';
import { inspectPage, type InspectedPage } from '../inspected-page';
import type { AuditSource } from './audit-source';
import { readRange, SELECT_RANGE } from './sqlite-rows';
import type { InspectJob } from '../workers/sqlite-inspect.worker';
import { startWorker } from '../workers/start-worker';

export interface SqliteAuditSourceOptions {
  /**
   * Positions per page. Small pages keep a page's parsed rows in V8's young generation, so
   * they are collected cheaply instead of growing the heap. @defaultValue 512
   */
  readonly pageSize?: number;
  /**
   * Worker threads that parse and hash pages while this thread runs the ordered checks; 0
   * does everything in this thread. Each costs about 50 MB; they pay off only on a machine
   * with idle cores (on a busy two-core machine they were no faster). @defaultValue 0
   */
  readonly workers?: number;
}

/**
 * Reads a SQLite event store file directly, read-only: an auditor's tool must not write to
 * the evidence (opening it through the adapter would migrate it and switch its journal
 * mode), and raw rows in position ranges read several times faster than `readAll` pages.
 */
export class SqliteAuditSource implements AuditSource {
  private readonly db: Database.Database;

  constructor(
    readonly path: string,
    private readonly options: SqliteAuditSourceOptions = {},
  ) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
  }

  get description(): string {
    return this.path;
  }

  async checkpointCounts(): Promise<number[]> {
    const rows = this.db.prepare('SELECT data FROM events WHERE stream_name = ? ORDER BY revision').pluck().all(CHECKPOINT_STREAM) as string[];
    const counts: number[] = [];
    for (const text of rows) {
      try {
        const count = (JSON.parse(text) as { eventCount?: unknown }).eventCount;
        if (typeof count === 'number') counts.push(count);
      } catch {
        // A checkpoint that does not parse is reported by the main pass.
      }
    }
    return counts;
  }

  async total(): Promise<number | undefined> {
    return this.db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  }

  async *pages(): AsyncIterable<InspectedPage> {
    const { lo, hi } = this.db.prepare('SELECT min(position) AS lo, max(position) AS hi FROM events').get() as { lo: number | null; hi: number | null };
    if (lo === null || hi === null) return;
    const size = this.options.pageSize ?? 512;
    const ranges = function* () {
      for (let from = lo; from <= hi; from += size) yield { from, to: Math.min(from + size - 1, hi) };
    };
    const workers = this.options.workers ?? 0;
    if (workers === 0) {
      const statement = this.db.prepare(SELECT_RANGE).raw();
      for (const { from, to } of ranges()) yield inspectPage(readRange(statement, from, to));
      return;
    }
    yield* inWorkers(this.path, workers, ranges());
  }

  readonly densePositions = {
    highestIssued: async (): Promise<number | undefined> => {
      const seq = this.db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'events'`).pluck().get() as number | undefined;
      return seq ?? undefined;
    },
  };

  async close(): Promise<void> {
    this.db.close();
  }
}

/** Pages inspected by a pool of workers, yielded in order, with a bounded number in flight. */
async function* inWorkers(path: string, count: number, ranges: Iterator<{ from: number; to: number }>): AsyncGenerator<InspectedPage> {
  const pool = Array.from({ length: count }, () => startWorker('verify/workers/sqlite-inspect.worker', { path }));
  const waiting = new Map<number, { resolve: (page: InspectedPage) => void; reject: (err: Error) => void }>();
  const failAll = (err: Error) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  for (const worker of pool) {
    worker.on('message', ({ id, page }: { id: number; page: InspectedPage }) => {
      waiting.get(id)?.resolve(restore(page));
      waiting.delete(id);
    });
    worker.on('error', failAll);
    worker.on('exit', (code) => code !== 0 && failAll(new Error(`An audit worker stopped with code ${code}`)));
  }
  const inFlight: Promise<InspectedPage>[] = [];
  let next = 0;
  const submit = (): void => {
    const range = ranges.next();
    if (range.done) return;
    const id = next++;
    inFlight.push(new Promise<InspectedPage>((resolve, reject) => waiting.set(id, { resolve, reject })));
    pool[id % count].postMessage({ id, ...range.value } satisfies InspectJob);
  };
  try {
    for (let i = 0; i < count * 3; i++) submit();
    while (inFlight.length > 0) {
      const page = await inFlight.shift()!;
      submit();
      yield page;
    }
  } finally {
    for (const w of pool) w.removeAllListeners('exit');
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

/** Buffers arrive as plain Uint8Arrays after a transfer. */
function restore(page: InspectedPage): InspectedPage {
  return { ...page, hashes: Buffer.from(page.hashes.buffer), leaves: Buffer.from(page.leaves.buffer) };
}

