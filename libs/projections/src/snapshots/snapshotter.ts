import { Worker } from 'node:worker_threads';
import type { ReadModelDatabase } from '../read-model-database';
import { ReadModelDatabase as Rm } from '../read-model-database';
import type { ReadModelSnapshots } from './read-model-snapshots';
import { SNAPSHOT_WORKER } from './snapshot-worker';

interface Pending {
  pinned: () => void;
  done: (events: number | undefined) => void;
}

/**
 * Takes snapshots of the live read models every `every` events, off the request path: the
 * copy runs in a worker thread reading the live file in its own transaction, and the live
 * fold waits only until that transaction has started (a message there and back), so each
 * snapshot holds exactly the events up to a batch's end. Only if a snapshot is due while the
 * previous copy is still running (catching up a long history) does the fold wait for the copy.
 */
export class Snapshotter {
  private worker: Worker | undefined;
  private pending: Pending | undefined;
  private running: Promise<number | undefined> | undefined;
  private last: number;
  private stopped = false;
  /** The last copy's failure, if any (reported, never thrown into the fold). */
  lastError: string | undefined;

  constructor(
    private readonly live: ReadModelDatabase,
    private readonly snapshots: ReadModelSnapshots,
    private readonly every: number,
  ) {
    if (live.checkpoint() === 'start') snapshots.clear();
    this.last = snapshots.nearest(Number.MAX_SAFE_INTEGER) ?? 0;
    // Snapshots beyond the live read models belong to another history (the file was replaced).
    for (const n of snapshots.eventCounts) if (n > live.eventCount()) snapshots.drop(n);
    this.last = Math.min(this.last, live.eventCount());
  }

  /** For the projection runner's `afterBatch`: starts a snapshot when one is due. */
  readonly afterBatch = (): Promise<void> | undefined => {
    if (this.stopped || this.live.eventCount() - this.last < this.every) return undefined;
    return this.take();
  };

  /** Starts a snapshot now; resolves once it is pinned (the live fold may go on). */
  async take(): Promise<void> {
    if (this.running) await this.running;
    if (this.stopped) return;
    let pinned!: () => void;
    const pin = new Promise<void>((r) => (pinned = r));
    this.running = new Promise<number | undefined>((done) => {
      this.pending = { pinned, done };
      const worker = this.thread();
      worker.ref(); // a copy in progress keeps the process alive; an idle thread does not
      worker.postMessage({
        live: this.live.path,
        tmp: `${this.snapshots.dir}/next.tmp`,
        file: `${this.snapshots.dir}/{events}.sqlite`,
        apart: this.snapshots.apart,
        apartTmp: `${this.snapshots.dir}/next.apart.tmp`,
        apartFile: `${this.snapshots.dir}/{events}.apart.sqlite`,
        signature: Rm.signature(this.snapshots.projections),
        schema: [
          'CREATE TABLE read_model_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);',
          ...this.snapshots.projections.map((p) => p.schema),
        ].join('\n'),
      });
    }).finally(() => (this.running = undefined));
    this.last = this.live.eventCount();
    await pin;
  }

  /** Resolves when no copy is running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(SNAPSHOT_WORKER, { eval: true, workerData: { driver: require.resolve('better-sqlite3') } });
    worker.unref();
    worker.on('message', (m: { pinned?: number; done?: number; error?: string }) => {
      const job = this.pending;
      if (!job) return;
      if (m.pinned !== undefined) return job.pinned();
      this.pending = undefined;
      worker.unref();
      if (m.error) this.lastError = m.error;
      else if (m.done !== undefined) this.snapshots.added(m.done);
      job.pinned();
      job.done(m.done);
    });
    worker.on('error', (err) => {
      this.lastError = String(err);
      this.worker = undefined;
      const job = this.pending;
      this.pending = undefined;
      job?.pinned();
      job?.done(undefined);
    });
    this.worker = worker;
    return worker;
  }
}
