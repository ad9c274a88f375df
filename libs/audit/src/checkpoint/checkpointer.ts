import { randomUUID } from 'node:crypto';
import {
  WrongExpectedVersionError,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Start,
  type Subscription,
} from '@civic/event-store';
import { asChainLink, CHAIN_FIELD, eventHash, splitChain } from '../hash/event-hash';
import { MerkleFrontier, merkleLeaf } from '../merkle/merkle';
import type { MerkleIndex } from '../merkle/merkle-index';
import type { SigningKey } from '../signing/signing-key';
import type { WitnessPort, WitnessRecord } from '../witness/witness.port';
import {
  CHECKPOINT_EVENT_TYPE,
  CHECKPOINT_STREAM,
  isDefaultPhaseChange,
  parseCheckpoint,
  signCheckpoint,
  type CheckpointData,
  type CheckpointReason,
} from './checkpoint';

export interface CheckpointerOptions {
  /** The chained store (checkpoints are chained events too). */
  readonly store: EventStore;
  readonly key: SigningKey;
  /** Where every checkpoint is also written; strongly advised, it is what proves the tail. @defaultValue none */
  readonly witness?: WitnessPort;
  /** At most this many events between checkpoints. @defaultValue 1000 */
  readonly interval?: number;
  /** Event types after which a checkpoint is taken at once. @defaultValue `isDefaultPhaseChange` */
  readonly isPhaseChange?: (type: string) => boolean;
  /** @defaultValue 1000 */
  readonly batchSize?: number;
  /**
   * Told of a failure while following the log (the store unavailable, a malformed last
   * checkpoint); the Checkpointer then starts again from the log after `retryDelayMs`.
   * @defaultValue ignore
   */
  readonly onError?: (error: unknown) => void;
  /** @defaultValue 5000 */
  readonly retryDelayMs?: number;
  /**
   * The stored Merkle tree that inclusion and consistency proofs are answered from: the
   * Checkpointer adds every event it observes, and rebuilds it from the log when it disagrees
   * with the last checkpoint. @defaultValue none
   */
  readonly index?: MerkleIndex;
  /** At most this long between an event and a checkpoint that covers it, so that a receipt is soon provable. @defaultValue 60000 */
  readonly maxDelayMs?: number;
  /** Runs `task` after `ms`; returns a cancel. Injected by tests. @defaultValue an unref'd `setTimeout` */
  readonly schedule?: (task: () => Promise<void>, ms: number) => () => void;
}

const defaultSchedule = (task: () => Promise<void>, ms: number): (() => void) => {
  const timer = setTimeout(() => void task(), ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** The event's chain hash (or its hash computed as the chain would, for an unchained event): its Merkle leaf input. */
function eventHashOf(event: RecordedEvent): Buffer {
  // The link alone for a chained event (every event but a legacy one): no copy of its metadata.
  const stored = event.metadata;
  const link = typeof stored === 'object' && stored !== null && CHAIN_FIELD in stored ? asChainLink(stored[CHAIN_FIELD]) : undefined;
  if (link) return Buffer.from(link.hash, 'hex');
  const { metadata } = splitChain(stored);
  const { streamName, revision, id, type, data } = event;
  return Buffer.from(eventHash({ streamName, revision, id, type, data, metadata, previous: null }), 'hex');
}

/**
 * Follows the global order and appends a signed `CheckpointRecorded` event to
 * `audit-checkpoints` every `interval` events and after every phase change: a Merkle root
 * over the event hashes of the whole history up to there.
 *
 * One instance at a time is expected, but several are safe: checkpoints are appended at exact
 * revisions, so a second instance loses the race, reloads from the log, and carries on.
 */
export class Checkpointer {
  private frontier = new MerkleFrontier();
  private after: Position | Start = 'start';
  private sequence = 0;
  private previousCheckpointHash: string | null = null;
  private sinceLast = 0;
  private subscription: Subscription | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** Appends run one at a time: the timer's and the follower's. */
  private exclusive: Promise<unknown> = Promise.resolve();
  private cancelTimer: (() => void) | undefined;
  private readonly observers = new Set<() => void>();
  private rebuilt = false;

  constructor(private readonly options: CheckpointerOptions) {}

  /** Restores from the last checkpoint, then follows the log until `stop()`. */
  start(): void {
    this.stopped = false;
    this.running ??= this.loop().finally(() => (this.running = undefined));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    await this.subscription?.stop();
    await this.running;
    await this.exclusive;
    this.options.index?.flush();
  }

  /**
   * Resolves true once the Checkpointer has observed the event at `position` (so the index
   * holds it), false after `timeoutMs`: a receipt looked up right after its ballot was cast.
   */
  async observed(position: Position, timeoutMs: number): Promise<boolean> {
    const index = this.options.index;
    if (!index) return false;
    if (index.byPosition(position)) return true;
    return new Promise<boolean>((resolve) => {
      const check = () => {
        if (!index.byPosition(position)) return;
        done(true);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      const done = (found: boolean) => {
        clearTimeout(timer);
        this.observers.delete(check);
        resolve(found);
      };
      this.observers.add(check);
    });
  }

  /** Processes every event committed so far, then returns: for tests, tools and shutdown. */
  async catchUp(): Promise<void> {
    await this.serially(() => this.restore());
    const batch = this.options.batchSize ?? 1000;
    for (;;) {
      const page = await this.options.store.readAll({ after: this.after, maxCount: batch });
      for (const event of page) await this.observe(event);
      if (page.length < batch) return;
    }
  }

  /**
   * Takes a checkpoint now over everything observed so far, whatever the count: at shutdown,
   * so that the tail is covered. Nothing when nothing was observed since the last one.
   */
  async checkpointNow(reason: CheckpointReason = 'interval'): Promise<CheckpointData | undefined> {
    return this.serially(async () => (this.sinceLast === 0 || this.after === 'start' ? undefined : this.append(reason)));
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const result = this.exclusive.then(task);
    this.exclusive = result.catch(() => undefined);
    return result;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.serially(() => this.restore());
        this.subscription = this.options.store.subscribeAll({ after: this.after, batchSize: this.options.batchSize });
        for await (const event of this.subscription) {
          const checkpointing = this.observe(event);
          if (checkpointing) await checkpointing;
          if (this.stopped) break;
        }
        return;
      } catch (err) {
        // Another instance recorded this sequence first: start again from its checkpoint at once.
        if (!(err instanceof WrongExpectedVersionError)) {
          this.options.onError?.(err);
          await new Promise((r) => setTimeout(r, this.options.retryDelayMs ?? 5000).unref());
        }
      } finally {
        await this.subscription?.stop();
        this.subscription = undefined;
      }
    }
  }

  /**
   * Adds the event to the tree; returns the checkpoint it makes due, if any, to be awaited. Most
   * events make none, and cost no promise (this runs for every event written).
   */
  private observe(event: RecordedEvent): Promise<unknown> | undefined {
    const hash = eventHashOf(event);
    const leaf = merkleLeaf(hash);
    this.frontier.push(leaf);
    this.options.index?.append(event.position, hash, leaf);
    this.after = event.position;
    this.sinceLast++;
    if (this.observers.size > 0) for (const notify of [...this.observers]) notify();
    const isPhaseChange = (this.options.isPhaseChange ?? isDefaultPhaseChange)(event.type);
    if (isPhaseChange) return this.checkpointNow('phase_change');
    if (this.sinceLast >= (this.options.interval ?? 1000)) return this.checkpointNow('interval');
    // A checkpoint event alone does not start the clock, or an idle log would checkpoint its own checkpoints forever.
    if (!this.cancelTimer && event.streamName !== CHECKPOINT_STREAM) this.startTimer();
    return undefined;
  }

  private startTimer(): void {
    const schedule = this.options.schedule ?? defaultSchedule;
    this.cancelTimer = schedule(async () => {
      this.cancelTimer = undefined;
      await this.checkpointNow('timer').catch((err) => this.options.onError?.(err));
    }, this.options.maxDelayMs ?? 60_000);
  }

  private async append(reason: CheckpointReason): Promise<CheckpointData> {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    // Events observed while this append is under way count towards the next checkpoint.
    const covered = this.sinceLast;
    const data = signCheckpoint(
      {
        sequence: this.sequence,
        upToPosition: this.after as Position,
        eventCount: this.frontier.count,
        merkleRoot: this.frontier.root().toString('hex'),
        previousCheckpointHash: this.previousCheckpointHash,
        reason,
        keyId: this.options.key.keyId,
        frontier: this.frontier.toJSON().subtrees,
      },
      this.options.key,
    );
    const id = randomUUID();
    const expectedRevision = this.sequence === 0 ? 'no_stream' : this.sequence - 1;
    await this.options.store.append(CHECKPOINT_STREAM, [{ id, type: CHECKPOINT_EVENT_TYPE, data: { ...data } }], { expectedRevision });
    const [recorded] = await this.options.store.readStream(CHECKPOINT_STREAM, { fromRevision: this.sequence, maxCount: 1 });
    await this.witness(recorded, data);
    this.previousCheckpointHash = splitChain(recorded.metadata).link?.hash ?? null;
    this.sequence++;
    this.sinceLast -= covered;
    return data;
  }

  /** Witnessed after the log append: a witness may lag the log (fixed on restart), never lead it. */
  private async witness(recorded: RecordedEvent, data: CheckpointData): Promise<void> {
    if (!this.options.witness) return;
    const record: WitnessRecord = {
      sequence: data.sequence,
      eventId: recorded.id,
      position: recorded.position,
      upToPosition: data.upToPosition,
      eventCount: data.eventCount,
      merkleRoot: data.merkleRoot,
      signature: data.signature,
      keyId: data.keyId,
    };
    await this.options.witness.record(record);
  }

  private async restore(): Promise<void> {
    const [last] = await this.options.store.readStream(CHECKPOINT_STREAM, { direction: 'backwards', maxCount: 1 });
    this.sinceLast = 0;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (!last) {
      this.frontier = new MerkleFrontier();
      this.after = 'start';
      this.sequence = 0;
      this.previousCheckpointHash = null;
      this.options.index?.truncate(0);
      return;
    }
    const data = parseCheckpoint(last.data);
    if (typeof data === 'string') throw new Error(`The last checkpoint (${last.id}) ${data}; run "audit verify"`);
    const frontier = MerkleFrontier.fromJSON({ count: data.eventCount, subtrees: data.frontier });
    if (frontier.root().toString('hex') !== data.merkleRoot) {
      throw new Error(`The last checkpoint (${last.id}) has a frontier that does not give its root; run "audit verify"`);
    }
    await this.reconcileIndex(data);
    this.frontier = frontier;
    this.after = data.upToPosition;
    this.sequence = data.sequence + 1;
    this.previousCheckpointHash = splitChain(last.metadata).link?.hash ?? null;
    const witnessed = this.options.witness ? await this.options.witness.readAll() : [];
    if (this.options.witness && !witnessed.some((w) => w.sequence === data.sequence)) await this.witness(last, data);
  }

  /**
   * Brings the index to exactly the last checkpoint's tree: kept when it holds that tree (the
   * leaves after it are observed again), rebuilt from the log when it is short or differs (a
   * new node, a lost file, a store rewound or rewritten).
   */
  private async reconcileIndex(checkpoint: CheckpointData): Promise<void> {
    const index = this.options.index;
    if (!index) return;
    const { eventCount, merkleRoot, upToPosition } = checkpoint;
    const holds = () => index.size >= eventCount && (eventCount === 0 || index.hashRange(0, eventCount).toString('hex') === merkleRoot);
    if (index.size >= eventCount && !holds()) index.truncate(0);
    index.truncate(eventCount);
    if (index.size < eventCount) {
      const batch = this.options.batchSize ?? 1000;
      let after: Position | Start = index.size === 0 ? 'start' : index.leaf(index.size - 1)!.position;
      while (index.size < eventCount) {
        const page = await this.options.store.readAll({ after, maxCount: Math.min(batch, eventCount - index.size) });
        if (page.length === 0) break;
        for (const event of page) index.append(event.position, eventHashOf(event));
        after = page[page.length - 1].position;
      }
      if (index.size < eventCount || after !== upToPosition || !holds()) {
        // A partial index that did not match: once more from the first event, else the log contradicts its own checkpoint.
        if (index.size > 0 && !this.rebuilt) {
          this.rebuilt = true;
          index.truncate(0);
          return this.reconcileIndex(checkpoint);
        }
        index.truncate(0);
        throw new Error(`The log does not give the root of its last checkpoint (${checkpoint.sequence}); run "audit verify"`);
      }
    }
    this.rebuilt = false;
  }
}
