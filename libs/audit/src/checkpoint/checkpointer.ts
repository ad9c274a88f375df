import { randomUUID } from 'node:crypto';
import {
  WrongExpectedVersionError,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Start,
  type Subscription,
} from '@civic/event-store';
import { eventHash, splitChain } from '../hash/event-hash';
import { MerkleFrontier, merkleLeaf } from '../merkle/merkle';
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

  constructor(private readonly options: CheckpointerOptions) {}

  /** Restores from the last checkpoint, then follows the log until `stop()`. */
  start(): void {
    this.stopped = false;
    this.running ??= this.loop().finally(() => (this.running = undefined));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
    await this.running;
  }

  /** Processes every event committed so far, then returns: for tests, tools and shutdown. */
  async catchUp(): Promise<void> {
    await this.restore();
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
    if (this.sinceLast === 0 || this.after === 'start') return undefined;
    return this.append(reason);
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.restore();
        this.subscription = this.options.store.subscribeAll({ after: this.after, batchSize: this.options.batchSize });
        for await (const event of this.subscription) {
          await this.observe(event);
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

  private async observe(event: RecordedEvent): Promise<void> {
    const { metadata, link } = splitChain(event.metadata);
    const hash = link?.hash ?? eventHash({ ...event, metadata, previous: null });
    this.frontier.push(merkleLeaf(Buffer.from(hash, 'hex')));
    this.after = event.position;
    this.sinceLast++;
    const isPhaseChange = (this.options.isPhaseChange ?? isDefaultPhaseChange)(event.type);
    if (isPhaseChange) await this.append('phase_change');
    else if (this.sinceLast >= (this.options.interval ?? 1000)) await this.append('interval');
  }

  private async append(reason: CheckpointReason): Promise<CheckpointData> {
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
    this.sinceLast = 0;
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
    if (!last) {
      this.frontier = new MerkleFrontier();
      this.after = 'start';
      this.sequence = 0;
      this.previousCheckpointHash = null;
      return;
    }
    const data = parseCheckpoint(last.data);
    if (typeof data === 'string') throw new Error(`The last checkpoint (${last.id}) ${data}; run "audit verify"`);
    const frontier = MerkleFrontier.fromJSON({ count: data.eventCount, subtrees: data.frontier });
    if (frontier.root().toString('hex') !== data.merkleRoot) {
      throw new Error(`The last checkpoint (${last.id}) has a frontier that does not give its root; run "audit verify"`);
    }
    this.frontier = frontier;
    this.after = data.upToPosition;
    this.sequence = data.sequence + 1;
    this.previousCheckpointHash = splitChain(last.metadata).link?.hash ?? null;
    const witnessed = this.options.witness ? await this.options.witness.readAll() : [];
    if (this.options.witness && !witnessed.some((w) => w.sequence === data.sequence)) await this.witness(last, data);
  }
}
