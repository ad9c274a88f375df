import type { EventStore, Position, RecordedEvent, Start } from '@civic/event-store';
import { batchFolder } from './fold';
import type { ReadModelDatabase } from './read-model-database';

export interface ProjectionRunnerOptions {
  /** Most events folded per transaction. @defaultValue 5000 */
  readonly batchSize?: number;
  /** How many recent positions to remember for `waitFor` (at least one). @defaultValue 100 000 */
  readonly rememberPositions?: number;
  /**
   * Called after each batch is stored; the next batch waits for the promise it returns, if
   * any: what lets a snapshot start reading the read models exactly at a batch's end.
   */
  readonly afterBatch?: () => Promise<void> | undefined;
}

const IDLE = Symbol('idle');
const STOP = Symbol('stop');

/**
 * Keeps the read models up to date from a catch-up subscription that starts at the stored
 * checkpoint. Events are folded in batches: every event already available is taken into one
 * transaction that also moves the checkpoint, so a crash loses whole batches at most, and the
 * next start resumes exactly after the last one stored.
 */
export class ProjectionRunner {
  private after: Position | Start;
  /** The positions folded most recently: a set, and the same positions in a ring, oldest next to go. */
  private readonly recent = new Set<Position>();
  private readonly recentOrder: Position[] = [];
  private oldestRecent = 0;
  private readonly waiters = new Map<Position, Array<(event: RecordedEvent) => void>>();
  private readonly applyBatch: (events: readonly RecordedEvent[]) => void;
  private stopRequested: (() => void) | undefined;
  private stopping = false;
  private wakeStop: (() => void) | undefined;
  private readonly listeners: Array<(events: readonly RecordedEvent[]) => void> = [];
  private loop: Promise<void> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelDatabase,
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.after = readModels.checkpoint();
    this.applyBatch = batchFolder(readModels);
  }

  /** The position of the last event folded in. */
  get position(): Position | Start {
    return this.after;
  }

  /** Starts following the log; resolves once everything up to the current head is folded in. */
  async start(): Promise<void> {
    const head = await this.store.headPosition();
    const caughtUp = head === 'start' || head === this.after ? Promise.resolve(undefined) : this.waitFor(head, 10 * 60_000);
    this.stopRequested = () => {
      this.stopping = true;
      this.wakeStop?.();
    };
    this.loop = this.follow();
    await caughtUp;
  }

  /**
   * Resolves once the event at `position` has been folded in (read-your-writes after a command),
   * with the event as recorded when it was folded during the wait: a command's caller then has
   * what the store added to it (its audit chain link) without reading it again. Resolves with
   * nothing when the event was folded before the wait began.
   */
  waitFor(position: Position, timeoutMs = 10_000): Promise<RecordedEvent | undefined> {
    if (this.recent.has(position)) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read models did not reach position ${position} within ${timeoutMs} ms`)), timeoutMs);
      const list = this.waiters.get(position) ?? [];
      list.push((event) => {
        clearTimeout(timer);
        resolve(event);
      });
      this.waiters.set(position, list);
    });
  }

  /**
   * Calls `listener` after each batch is stored, with its events: what live updates
   * (subscriptions) announce, always after the read models can answer for them.
   */
  onFolded(listener: (events: readonly RecordedEvent[]) => void): void {
    this.listeners.push(listener);
  }

  /** Stops after the batch in hand is stored. */
  async stop(): Promise<void> {
    this.stopRequested?.();
    await this.loop;
  }

  private async follow(): Promise<void> {
    const batchSize = this.options.batchSize ?? 5000;
    const subscription = this.store.subscribeAll({ after: this.after, batchSize });
    const iterator = subscription[Symbol.asyncIterator]();
    let pending = iterator.next();
    let batch: RecordedEvent[] = [];
    // One wake-up for "nothing more is immediately available" and one for the stop per batch,
    // not per event (each with a timer): the events of a page in hand arrive as microtasks, all
    // before the wake-up's turn.
    // Each wait adds a reaction to both, holding the event that won it, so both are made anew
    // after every fold: a promise that lived until stop() would keep every event folded in memory
    // (a 300,000-row register import: about a gigabyte).
    let idle: Promise<typeof IDLE> | undefined;
    let stopped = this.stopSignal();
    const folded = async () => {
      idle = undefined;
      stopped = this.stopSignal();
      batch = await this.foldAndPause(batch);
    };
    try {
      while (!this.stopping) {
        // With events in hand, fold them as soon as nothing more is immediately available.
        if (batch.length > 0) idle ??= new Promise<typeof IDLE>((r) => setImmediate(() => r(IDLE)));
        const next = await (idle ? Promise.race([pending, idle, stopped]) : Promise.race([pending, stopped]));
        if (next === STOP) break;
        if (next === IDLE) {
          await folded();
          continue;
        }
        if (next.done) break;
        batch.push(next.value);
        pending = iterator.next();
        if (batch.length >= batchSize) await folded();
      }
      if (batch.length > 0) this.fold(batch);
    } finally {
      await subscription.stop();
    }
  }

  /** Resolves with STOP when stop() is called (from the next call on, a new one: see `follow`). */
  private stopSignal(): Promise<typeof STOP> {
    return new Promise<typeof STOP>((r) => (this.wakeStop = () => r(STOP)));
  }

  private async foldAndPause(batch: RecordedEvent[]): Promise<RecordedEvent[]> {
    const rest = this.fold(batch);
    const pause = this.options.afterBatch?.();
    if (pause) await pause.catch(() => undefined); // a failed snapshot must not stop the read models
    return rest;
  }

  private fold(batch: RecordedEvent[]): RecordedEvent[] {
    this.applyBatch(batch);
    this.after = batch[batch.length - 1].position;
    for (const event of batch) this.remember(event);
    for (const listener of this.listeners) {
      try {
        listener(batch);
      } catch {
        // A listener's failure must not stop the read models; listeners report their own errors.
      }
    }
    return [];
  }

  private remember(event: RecordedEvent): void {
    const { position } = event;
    this.recent.add(position);
    // Forgotten oldest first through the ring, not as the set's first key: a Map or Set leaves
    // a hole for each key deleted until it is rebuilt, and finding its first key walks them all
    // (at 100,000 positions kept, tens of µs an event).
    const keep = Math.max(1, this.options.rememberPositions ?? 100_000);
    if (this.recentOrder.length < keep) this.recentOrder.push(position);
    else {
      this.recent.delete(this.recentOrder[this.oldestRecent]);
      this.recentOrder[this.oldestRecent] = position;
      this.oldestRecent = (this.oldestRecent + 1) % keep;
    }
    const waiting = this.waiters.get(position);
    if (waiting) {
      this.waiters.delete(position);
      for (const wake of waiting) wake(event);
    }
  }
}
