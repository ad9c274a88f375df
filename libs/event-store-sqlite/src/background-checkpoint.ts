import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/**
 * The worker: its own connection to the file, running a PASSIVE checkpoint when asked (it
 * never waits for the writer or for readers, and copies what no reader still needs), then
 * answering with SQLite's counts. Plain JavaScript, so that it runs the same from the sources
 * and from the build.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, busy: result.busy, log: result.log, checkpointed: result.checkpointed });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String((error && error.message) || error) });
  }
});
`;

/** SQLite's page: what a row written at a scattered place of an index costs the log. */
const PAGE_BYTES = 4096;

export interface BackgroundCheckpointOptions {
  /** A checkpoint is asked for once this many bytes were committed since the last one. @defaultValue 4 MiB (SQLite's own 1,000 pages) */
  readonly everyBytes?: number;
  /** Told of a checkpoint that failed (the next is tried as usual) or of a worker that died (SQLite checkpoints by itself again). */
  readonly onError?: (error: Error) => void;
}

/**
 * SQLite checkpoints the write-ahead log into the database file, and syncs both, on the
 * connection that commits once the log passes 1,000 pages: for an event store taking a
 * register's 5,000 events at a time, every such commit blocked the event loop two to three
 * times as long as the commit itself (measured: 133–168 ms against 51–60 ms a group of 5,000
 * events). Here the writer's connection never checkpoints (`wal_autocheckpoint = 0`); a
 * worker thread with its own connection does, PASSIVE (never blocking the writer or a reader),
 * once enough was committed, one at a time. Should the worker die, the writer's connection
 * checkpoints by itself again, as SQLite does by default: the log never grows unbounded.
 *
 * A checkpoint copies only committed pages, and the log is synced before it is copied, so
 * durability is SQLite's own (what this process acknowledges is the synced log's).
 */
export class BackgroundCheckpoint {
  private worker: Worker | undefined;
  private dead = false;
  private inFlight = false;
  private since = 0;
  private closing: Promise<void> | undefined;
  private readonly everyBytes: number;
  private readonly waitingForIdle: Array<() => void> = [];

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly options: BackgroundCheckpointOptions = {},
  ) {
    this.everyBytes = options.everyBytes ?? 4 * 1024 * 1024;
    db.pragma('wal_autocheckpoint = 0');
  }

  /**
   * After a commit of `rows` rows at scattered places of their indexes (a resident's key, a folded
   * event): reckoned a page of the log each, as {@link committed} takes it.
   */
  committedRows(rows: number): void {
    this.committed(rows * PAGE_BYTES);
  }

  /** After a commit of about `bytes`: asks the worker for a checkpoint once enough was committed and none is under way. */
  committed(bytes: number): void {
    if (this.dead || this.closing) return;
    this.since += bytes;
    if (this.inFlight || this.since < this.everyBytes) return;
    this.since = 0;
    this.inFlight = true;
    this.start().postMessage('checkpoint');
  }

  /** Whether the worker is copying the log now: another connection's checkpoint is then refused (busy) until it ends. */
  get busy(): boolean {
    return this.inFlight;
  }

  /** Resolves once no checkpoint of the worker's is under way. */
  idle(): Promise<void> {
    if (!this.inFlight) return Promise.resolve();
    return new Promise((resolve) => this.waitingForIdle.push(resolve));
  }

  /** Stops the worker (after the checkpoint under way, if any); the writer's connection checkpoints as it closes. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      const worker = this.worker;
      if (!worker || this.dead) return resolve();
      worker.once('exit', () => resolve());
      // Held while it finishes: an unreferenced worker would let the process exit before the store is closed.
      worker.ref();
      worker.postMessage('close');
    });
    return this.closing;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), path: this.path } });
    // A process whose store was not closed may still exit.
    worker.unref();
    worker.on('message', (result: { ok: boolean; message?: string }) => {
      this.settle();
      if (!result.ok) this.options.onError?.(new Error(`SQLite checkpoint failed: ${result.message}`));
    });
    worker.on('error', (error) => this.fallBack(error));
    worker.on('exit', (code) => {
      if (!this.closing && code !== 0) this.fallBack(new Error(`The checkpoint worker stopped (exit code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private fallBack(error: Error): void {
    if (this.dead) return;
    this.dead = true;
    this.settle();
    if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
    this.options.onError?.(error);
  }

  private settle(): void {
    this.inFlight = false;
    for (const wake of this.waitingForIdle.splice(0)) wake();
  }
}
