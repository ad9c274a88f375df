import { Pool } from 'pg';
import {
  AppendNotifier,
  assertMaxCount,
  assertStreamName,
  CatchUpSubscription,
  DEFAULT_READ_ALL_MAX_COUNT,
  GroupCommitter,
  prepareAppend,
  prepareAppendToStreams,
  resolveReadStream,
  StoreClosedError,
  type AppendLimits,
  type AppendOptions,
  type AppendResult,
  type EventData,
  type EventStore,
  type Position,
  type PreparedAppend,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type Start,
  type StreamAppend,
  type SubscribeAllOptions,
  type Subscription,
} from '@civic/event-store';
import { commitBatch, type CommitContext } from './append/commit-batch';
import { RevisionCache } from './append/revision-cache';
import { connectFailed, toStoreError } from './connect-error';
import { NotificationListener } from './notify/listener';
import { decodePosition } from './position';
import { readHeadPosition } from './read/head-position';
import { OwnWrites } from './read/own-writes';
import { readAllPage } from './read/read-all';
import { readStreamRows } from './read/read-stream';
import { readVisibilityBound } from './read/visibility-bound';
import { migrate, quoteSchema } from './schema/migrations';
import { NOTIFY_CHANNEL_PREFIX } from './schema/schema-name';

export interface PostgresEventStoreOptions extends AppendLimits {
  /** e.g. `postgres://postgres@127.0.0.1:5432/test`, usually from DATABASE_URL. */
  readonly connectionString: string;
  /** The schema holding the store's tables; created and migrated at connect. @defaultValue `civic_events` */
  readonly schema?: string;
  /** @defaultValue `() => new Date()` */
  readonly clock?: () => Date;
  /** Most appends committed in one transaction. @defaultValue 512 */
  readonly maxBatch?: number;
  /** Connections for reads and the writer. @defaultValue 10 */
  readonly poolSize?: number;
  /** How long to wait for a connection, in ms. @defaultValue 5000 */
  readonly connectTimeoutMs?: number;
  /**
   * How often a waiting subscriber reads anyway, in ms: should a notification be lost, or an
   * unrelated transaction that held readers back end (it sends none). @defaultValue 1000
   */
  readonly pollIntervalMs?: number;
  /**
   * How long `readAll` may wait for this node's acknowledged appends to become readable while an
   * older transaction elsewhere in the cluster is still open (read/own-writes.ts), in ms.
   * @defaultValue 2000
   */
  readonly readYourWritesMs?: number;
}

/**
 * The PostgreSQL event store (through `pg`).
 *
 * - Global order: (transaction id, sequence); readers stop below their snapshot's xmin, so they
 *   never pass an event that commits later (read/read-all.ts).
 * - Appends go through group commit: concurrent appends are decided together, each with its own
 *   expected-revision check and result, and written in one statement and one commit
 *   (append/commit-batch.ts).
 * - Subscribers are woken by LISTEN/NOTIFY, with a slow poll as a fallback.
 * - `readAll` waits, within bounds, for this node's own appends to be readable (read/own-writes.ts).
 */
export class PostgresEventStore implements EventStore {
  private readonly notifier = new AppendNotifier();
  private readonly ownWrites: OwnWrites;
  /** Each request is one append, or the parts of one `appendToStreams`, written all or nothing. */
  private readonly committer: GroupCommitter<readonly PreparedAppend[], AppendResult[]>;
  private closed = false;
  private commits = 0;

  private constructor(
    private readonly pool: Pool,
    private readonly listener: NotificationListener,
    private readonly s: string,
    readonly schema: string,
    private readonly options: PostgresEventStoreOptions,
  ) {
    this.ownWrites = new OwnWrites(options.readYourWritesMs ?? 2000);
    const ctx: CommitContext = {
      db: pool,
      s,
      channel: channelOf(schema),
      now: options.clock ?? (() => new Date()),
      cache: new RevisionCache(),
    };
    this.committer = new GroupCommitter(
      async (batch) => {
        try {
          const outcomes = await commitBatch(ctx, batch);
          for (const o of outcomes) if (o.ok) for (const r of o.value) this.ownWrites.committed(BigInt(decodePosition(r.position).xid));
          this.commits++;
          this.notifier.notify();
          return outcomes;
        } catch (err) {
          throw toStoreError('append (it may be retried with the same event ids)', err);
        }
      },
      { maxBatch: options.maxBatch },
    );
  }

  /**
   * Connects, creates or migrates the schema, and starts listening for commits.
   * @throws StoreUnavailableError naming DATABASE_URL when the server cannot be reached.
   */
  static async connect(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = options.schema ?? 'civic_events';
    const s = quoteSchema(schema);
    const config = { connectionString: options.connectionString, connectionTimeoutMillis: options.connectTimeoutMs ?? 5000 };
    const pool = new Pool({ ...config, max: options.poolSize ?? 10 });
    pool.on('error', () => undefined); // an idle connection dropped; the pool replaces it on next use
    let store: PostgresEventStore | undefined;
    try {
      const client = await pool.connect().catch((err) => Promise.reject(connectFailed(options.connectionString, err)));
      try {
        await migrate(client, schema);
      } finally {
        client.release();
      }
      const listener = new NotificationListener(config, channelOf(schema), () => store?.notifier.notify());
      store = new PostgresEventStore(pool, listener, s, schema, options);
      await listener.start().catch((err) => Promise.reject(connectFailed(options.connectionString, err)));
      return store;
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
  }

  /**
   * Counters for metrics and tests: `commits` is the number of write transactions,
   * `waitingSubscribers` those waiting for the next commit, `listening` whether the LISTEN
   * connection is up.
   */
  stats(): { commits: number; waitingSubscribers: number; listening: boolean } {
    return { commits: this.commits, waitingSubscribers: this.notifier.waiting, listening: this.listener.listening };
  }

  async append(streamName: string, events: readonly EventData[], options?: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    const [result] = await this.committer.submit([prepareAppend(streamName, events, options, this.options)]);
    return result;
  }

  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    this.assertOpen();
    return this.committer.submit(prepareAppendToStreams(appends, this.options));
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    assertStreamName(streamName);
    const { backwards, from, maxCount } = resolveReadStream(options);
    return readStreamRows(this.pool, this.s, streamName, backwards, from, maxCount).catch(this.fail('readStream'));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const after = decodePosition(options.after);
    const maxCount = assertMaxCount(options.maxCount ?? DEFAULT_READ_ALL_MAX_COUNT);
    await this.settleOwnWrites();
    return readAllPage(this.pool, this.s, after, maxCount, options.filter).catch(this.fail('readAll'));
  }

  async headPosition(): Promise<Position | Start> {
    this.assertOpen();
    await this.settleOwnWrites();
    return readHeadPosition(this.pool, this.s).catch(this.fail('headPosition'));
  }

  subscribeAll(options: SubscribeAllOptions = {}): Subscription {
    return new CatchUpSubscription(
      {
        readPage: (after, maxCount, filter) => this.readAll({ after, maxCount, filter }),
        changeToken: () => this.notifier.current,
        waitForChange: (token, signal) => this.notifier.wait(token, this.options.pollIntervalMs ?? 1000, signal),
      },
      options,
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.committer.drain();
    this.notifier.notify();
    await this.listener.stop();
    await this.pool.end();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  private settleOwnWrites(): Promise<void> {
    return this.ownWrites.settle(() => readVisibilityBound(this.pool)).catch(this.fail('readAll'));
  }

  private fail(operation: string) {
    return (err: unknown): never => {
      throw toStoreError(operation, err);
    };
  }
}

/** The NOTIFY channel of a schema's store (a channel name is at most 63 bytes). */
function channelOf(schema: string): string {
  return `${NOTIFY_CHANNEL_PREFIX}${schema}`;
}
