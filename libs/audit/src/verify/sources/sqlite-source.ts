import { availableParallelism } from 'node:os';
import Database from 'better-sqlite3';
import { CHECKPOINT_STREAM } from '../../checkpoint/checkpoint';
import type { InspectedPage } from '../inspected-page';
import type { AuditSource } from './audit-source';
import { inspectRange, SELECT_RANGE } from './sqlite-rows';
import type { InspectJob, WorkerPage } from '../workers/sqlite-inspect.worker';
import { startWorker } from '../workers/start-worker';

export interface SqliteAuditSourceOptions {
  /**
   * Positions per page. Small pages keep a page's parsed rows in V8's young generation, so
   * they are collected cheaply instead of growing the heap. @defaultValue 512
   */
  readonly pageSize?: number;
  /**
   * Worker threads that read and hash pages while this thread runs the ordered checks (and
   * inspects pages itself whenever the next one is not ready, so a worker slowed by a busy
   * machine never holds the run up); 0 does everything in this thread. Each costs about 50 MB.
   * @defaultValue one on a machine with two cores or more for a history of {@link AUTO_WORKERS_FROM}
   * events or more (where starting a thread pays off), else none
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
    const rows = this.db
      .prepare('SELECT data FROM events WHERE stream_name = ? ORDER BY revision')
      .pluck()
      .all(CHECKPOINT_STREAM) as string[];
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

  async expectedEvents(): Promise<number | undefined> {
    const { lo, hi } = this.bounds();
    return lo === null || hi === null ? undefined : hi - lo + 1;
  }

  async *pages(): AsyncIterable<InspectedPage> {
    const { lo, hi } = this.bounds();
    if (lo === null || hi === null) return;
    const size = this.options.pageSize ?? 512;
    const ranges = function* () {
      for (let from = lo; from <= hi; from += size) yield { from, to: Math.min(from + size - 1, hi) };
    };
    const workers = this.options.workers ?? (hi - lo + 1 >= AUTO_WORKERS_FROM && availableParallelism() >= 2 ? 1 : 0);
    if (workers === 0) {
      const statement = this.db.prepare(SELECT_RANGE).raw();
      for (const { from, to } of ranges()) yield inspectRange(statement, from, to);
      return;
    }
    const statement = this.db.prepare(SELECT_RANGE).raw();
    const names = this.db.prepare('SELECT event_id AS id, stream_name AS streamName FROM events WHERE position = ?');
    const lookUpNames = (position: string) => names.get(Number(position)) as { id: string; streamName: string };
    yield* inWorkers(this.path, workers, ranges(), ({ from, to }) => inspectRange(statement, from, to), lookUpNames);
  }

  /** The lowest and highest positions, each read off the primary key (one query with both would scan the table). */
  private bounds(): { lo: number | null; hi: number | null } {
    return this.db.prepare('SELECT (SELECT min(position) FROM events) AS lo, (SELECT max(position) FROM events) AS hi').get() as {
      lo: number | null;
      hi: number | null;
    };
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

/** The size of history from which `verify` starts a worker by default. */
export const AUTO_WORKERS_FROM = 100_000;

type Range = { readonly from: number; readonly to: number };

/** Pages a worker may hold at once: enough that it never waits for the next job. */
const DEPTH = 2;
/** How far ahead of the page being checked this thread may inspect pages itself. */
const WINDOW = 8;

/**
 * Pages inspected by a pool of workers and by this thread, yielded in order. The workers take
 * the next ranges as they free up. While the page due next is still in a worker, this thread
 * inspects a later range itself rather than wait; when it is that far ahead, it inspects the
 * due page itself and drops the worker's copy when it comes. So a worker held up by a busy
 * machine costs at most some duplicated work, never a wait: with workers the run is never
 * much slower than without. At most `count * DEPTH + WINDOW` pages are held at once.
 */
async function* inWorkers(
  path: string,
  count: number,
  ranges: Iterator<Range>,
  inspectHere: (range: Range) => InspectedPage,
  lookUpNames: (position: string) => { id: string; streamName: string },
): AsyncGenerator<InspectedPage> {
  const pool = Array.from({ length: count }, () => startWorker('verify/workers/sqlite-inspect.worker', { path }));
  const busy = new Array<number>(count).fill(0);
  /** Pages inspected and not yet yielded, by index. */
  const pages = new Map<number, InspectedPage>();
  /** Ranges in a worker, by page index, until their page arrives or this thread does them. */
  const inWorker = new Map<number, Range>();
  let failure: Error | undefined;
  pool.forEach((worker, w) => {
    worker.on('message', ({ id, page }: { id: number; page: WorkerPage }) => {
      busy[w]--;
      if (inWorker.delete(id)) pages.set(id, restore(page, lookUpNames));
    });
    worker.on('error', (err) => (failure ??= err));
    worker.on('exit', (code) => code !== 0 && (failure ??= new Error(`An audit worker stopped with code ${code}`)));
  });
  let assigned = 0; // pages handed out so far (to a worker or to this thread)
  let exhausted = false;
  const take = (): Range | undefined => {
    const next = exhausted ? undefined : ranges.next();
    if (!next || next.done) exhausted = true;
    return next && !next.done ? next.value : undefined;
  };
  const feedWorkers = () => {
    for (let w = 0; w < count; w++) {
      while (busy[w] < DEPTH) {
        const range = take();
        if (!range) return;
        inWorker.set(assigned, range);
        busy[w]++;
        pool[w].postMessage({ id: assigned++, ...range } satisfies InspectJob);
      }
    }
  };
  const letMessagesIn = () => new Promise<void>((resolve) => setImmediate(resolve));
  try {
    for (let due = 0; ;) {
      if (failure) throw failure;
      feedWorkers();
      const page = pages.get(due);
      if (page) {
        pages.delete(due);
        due++;
        yield page;
        continue;
      }
      const late = inWorker.get(due);
      if (!late) {
        // Nothing is on its way: this thread inspects the next range, if any is left.
        const range = take();
        if (!range) return;
        assigned++;
        due++;
        yield inspectHere(range);
      } else if (assigned - due < WINDOW + count * DEPTH && !exhausted) {
        const range = take();
        if (range) pages.set(assigned++, inspectHere(range)); // ahead, while the due page is in a worker
        await letMessagesIn();
      } else {
        await letMessagesIn();
        if (pages.has(due)) continue;
        inWorker.delete(due); // done here: the worker's copy is dropped when it comes
        due++;
        yield inspectHere(late);
      }
    }
  } finally {
    for (const w of pool) w.removeAllListeners('exit');
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

/** Buffers arrive as plain Uint8Arrays after a transfer; positions as numbers (kept so); names are looked up when needed. */
function restore(page: WorkerPage, lookUpNames: (position: string) => { id: string; streamName: string }): InspectedPage {
  return { ...page, lookUpNames, hashes: Buffer.from(page.hashes.buffer), leaves: Buffer.from(page.leaves.buffer) };
}
