import { fdatasync, mkdirSync, openSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  AppendNotifier,
  assertReadAllOptions,
  assertStreamName,
  CatchUpSubscription,
  decideAppend,
  expectationHolds,
  GroupCommitter,
  NO_STREAM_REVISION,
  prepareAppend,
  prepareAppendToStreams,
  resolveReadStream,
  StoreClosedError,
  StoredEvent,
  StoreUnavailableError,
  streamCategory,
  type AppendLimits,
  type AppendOptions,
  type AppendResult,
  type EventData,
  type EventFilter,
  type EventStore,
  type Outcome,
  type Position,
  type PreparedAppend,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type RecordedPlace,
  type Start,
  type StreamAppend,
  type SubscribeAllOptions,
  type Subscription,
} from '@civic/event-store';
import { BackgroundCheckpoint } from './background-checkpoint';
import { migrate } from './schema';
import { prepareStatements, type EventRow, type Statements } from './statements';

export interface SqliteEventStoreOptions extends AppendLimits {
  /** The database file; its folder is created if missing. `:memory:` for a throwaway store. */
  readonly path: string;
  /** @defaultValue `() => new Date()` */
  readonly clock?: () => Date;
  /** Most appends committed in one transaction. @defaultValue 512 */
  readonly maxBatch?: number;
  /** How often a waiting subscriber looks for events written by another process, in ms. @defaultValue 500 */
  readonly pollIntervalMs?: number;
  /** Syncs the log file to disk. @defaultValue fdatasync on libuv's thread pool; replaced in tests to hold or fail a sync. */
  readonly syncFile?: (fd: number) => Promise<void>;
  /**
   * Whether the log is checkpointed into the file by a worker thread (see `BackgroundCheckpoint`)
   * rather than by the committing connection, on the event loop. @defaultValue true for a file
   */
  readonly checkpointInBackground?: boolean;
  /** Told of a background checkpoint that failed. @defaultValue ignore */
  readonly onCheckpointError?: (error: Error) => void;
}

/**
 * The embedded event store: one SQLite file in WAL mode. An append is acknowledged only once
 * its commit has been synced to disk, so it survives a power cut.
 *
 * Appends go through group commit: those that arrive together share one transaction and one
 * sync; each keeps its own expected-revision check and its own success or failure. SQLite has
 * one writer at a time and positions are taken inside the write transaction, so positions
 * become visible in commit order and a reader never passes a position that a later commit
 * could fill.
 *
 * The sync is not SQLite's own (`synchronous = FULL` would block the event loop for the
 * length of an fsync, a few milliseconds, on every commit): commits run with
 * `synchronous = NORMAL` (SQLite still syncs the log around its checkpoints), then the log
 * file is fdatasync'ed on libuv's thread pool while the API goes on serving, and only then are
 * the batch's appends acknowledged and subscribers woken. `readAll` and `headPosition` stop
 * before the batch awaiting its sync, so projections and subscribers never see an event a
 * power cut could still take back. `readStream` reads everything committed: a command decided on an
 * event not yet synced is itself acknowledged only after a later sync of the same log, which
 * covers that event too.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly sql: Statements;
  private readonly notifier = new AppendNotifier();
  /** Each request is one append, or the parts of one `appendToStreams`, written all or nothing. */
  private readonly committer: GroupCommitter<readonly PreparedAppend[], AppendResult[]>;
  private closed = false;
  private commits = 0;
  /**
   * The first position of the batch this store has committed and not yet synced, if any.
   * Batches commit and sync one at a time, so there is at most one; readers stop before it.
   * Events other processes write to the same file are read as they commit.
   */
  private unsyncedFrom: number | undefined;
  /** Set when a sync failed: what was committed may not be on disk, so nothing more is written. */
  private failure?: StoreUnavailableError;
  private walFd?: number;
  private readonly checkpoints?: BackgroundCheckpoint;

  constructor(private readonly options: SqliteEventStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('cache_size = -65536');
    migrate(this.db);
    if (options.path !== ':memory:' && options.checkpointInBackground !== false)
      this.checkpoints = new BackgroundCheckpoint(this.db, options.path, { onError: options.onCheckpointError });
    this.sql = prepareStatements(this.db);
    // Several events of one request are written inside a savepoint, so that a clash on a
    // unique index part-way through undoes only that request; one event needs none.
    const writeMany = this.db.transaction((req: PreparedAppend, firstRevision: number, at: string) => this.write(req, firstRevision, at));
    // The parts of one multi-stream append share a savepoint too: a part that fails undoes the others.
    const appendParts = this.db.transaction((parts: readonly PreparedAppend[], at: string) =>
      parts.map((part) => this.appendInTransaction(part, at, writeMany)),
    );
    const commitBatch = this.db.transaction((batch: readonly (readonly PreparedAppend[])[]) => {
      this.unsyncedFrom = this.head() + 1;
      const recordedAt = (this.options.clock?.() ?? new Date()).toISOString();
      return batch.map((parts): Outcome<AppendResult[]> => {
        try {
          return {
            ok: true,
            value: parts.length === 1 ? [this.appendInTransaction(parts[0], recordedAt, writeMany)] : appendParts(parts, recordedAt),
          };
        } catch (error) {
          return { ok: false, error };
        }
      });
    });
    this.committer = new GroupCommitter(
      async (batch) => {
        if (this.failure) throw this.failure;
        let outcomes: Outcome<AppendResult[]>[];
        try {
          outcomes = commitBatch.immediate(batch);
        } catch (err) {
          this.unsyncedFrom = undefined;
          throw new StoreUnavailableError(`SQLite commit failed: ${(err as Error).message}`, { cause: err });
        }
        this.commits++;
        try {
          await this.syncLog();
        } catch (err) {
          // After a failed fsync the kernel may have dropped the dirty pages: retrying could
          // report success for data that is gone. Refuse every write from here on.
          this.failure = new StoreUnavailableError(`SQLite could not sync its log to disk: ${(err as Error).message}`, { cause: err });
          throw this.failure;
        }
        this.unsyncedFrom = undefined;
        this.notifier.notify();
        if (this.checkpoints) this.checkpoints.committed(committedBytes(batch));
        return outcomes;
      },
      { maxBatch: options.maxBatch },
    );
  }

  /** Counters for metrics and tests: `commits` is the number of write transactions (syncs). */
  stats(): { commits: number } {
    return { commits: this.commits };
  }

  /** The file this store writes. */
  get path(): string {
    return this.options.path;
  }

  async append(streamName: string, events: readonly EventData[], options?: AppendOptions): Promise<AppendResult> {
    if (this.closed) throw new StoreClosedError();
    const [result] = await this.committer.submit([prepareAppend(streamName, events, options, this.options)]);
    return result;
  }

  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    if (this.closed) throw new StoreClosedError();
    return this.committer.submit(prepareAppendToStreams(appends, this.options));
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    assertStreamName(streamName);
    const { backwards, from, maxCount } = resolveReadStream(options);
    const rows = backwards
      ? this.sql.readStreamBackwards.all(streamName, from === 'end' ? Number.MAX_SAFE_INTEGER : from, maxCount)
      : from === 'end'
        ? []
        : this.sql.readStreamForwards.all(streamName, from, maxCount);
    return (rows as EventRow[]).map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const { after, maxCount } = assertReadAllOptions(options);
    return this.readPage(after, maxCount, options.filter);
  }

  /** The last position `readAll` reaches: before this store's batch awaiting its sync, if any. */
  async headPosition(): Promise<Position | Start> {
    this.assertOpen();
    const head = this.unsyncedFrom === undefined ? this.head() : Math.min(this.head(), this.unsyncedFrom - 1);
    return head === 0 ? 'start' : String(head);
  }

  private head(): number {
    return (this.sql.head.get() as { position: number | null }).position ?? 0;
  }

  subscribeAll(options: SubscribeAllOptions = {}): Subscription {
    return new CatchUpSubscription(
      {
        readPage: (after, maxCount, filter) => this.readAll({ after, maxCount, filter }),
        changeToken: () => this.notifier.current,
        waitForChange: (token, signal) => this.notifier.wait(token, this.options.pollIntervalMs ?? 500, signal),
      },
      options,
    );
  }

  /**
   * Reads the global order raw, for replays that must not build an object per event
   * (`audit verify` on millions of events). Rows come in position order.
   */
  *iterateRows(afterPosition = 0): IterableIterator<EventRow> {
    this.assertOpen();
    yield* this.sql.iterateAll.iterate(afterPosition) as IterableIterator<EventRow>;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.committer.drain();
    this.notifier.notify();
    await this.checkpoints?.close();
    if (this.walFd !== undefined) closeSync(this.walFd);
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  private readPage(after: number, maxCount: number, filter: EventFilter | undefined): RecordedEvent[] {
    const types = filter?.eventTypes;
    const categories = filter?.streamCategories;
    if ((types && types.length === 0) || (categories && categories.length === 0)) return [];
    const stmt = this.sql.readAllFiltered(types?.length ?? 0, categories?.length ?? 0);
    const rows = stmt.all(after, ...(types ?? []), ...(categories ?? []), maxCount) as EventRow[];
    // Rows come in position order: stop before the first one not yet synced.
    let end = rows.length;
    const cut = this.unsyncedFrom;
    if (cut !== undefined) while (end > 0 && rows[end - 1][0] >= cut) end--;
    return (end === rows.length ? rows : rows.slice(0, end)).map(toRecorded);
  }

  /** fdatasync of the write-ahead log, on libuv's thread pool. The log keeps its inode while the store is open. */
  private async syncLog(): Promise<void> {
    if (this.options.path === ':memory:') return;
    this.walFd ??= openSync(`${this.options.path}-wal`, 'r');
    const fd = this.walFd;
    if (this.options.syncFile) return this.options.syncFile(fd);
    await new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
  }

  /**
   * The common case (the expected revision holds, the ids are new) costs one index read and
   * the inserts: the unique index on event ids catches a retry, which then takes the full
   * path of `decideAppend` with the places those ids were recorded at. A new stream costs no
   * read: its first event takes revision 0, which the unique index on (stream, revision)
   * refuses when the stream exists, since every stream's revisions start at 0.
   */
  private appendInTransaction(
    req: PreparedAppend,
    recordedAt: string,
    writeMany: (req: PreparedAppend, firstRevision: number, at: string) => AppendResult,
  ): AppendResult {
    const tryWrite = (firstRevision: number): AppendResult | undefined => {
      try {
        return req.events.length === 1 ? this.write(req, firstRevision, recordedAt) : writeMany(req, firstRevision, recordedAt);
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
        return undefined;
      }
    };
    const fresh = req.expectedRevision === 'no_stream';
    if (fresh) {
      const written = tryWrite(0);
      if (written) return written;
    }
    const current = (this.sql.streamRevision.get(req.streamName) as { revision: number | null }).revision ?? NO_STREAM_REVISION;
    if (!fresh && expectationHolds(req.expectedRevision, current)) {
      const written = tryWrite(current + 1);
      if (written) return written;
    }
    const recorded = new Map<string, RecordedPlace>();
    for (const e of req.events) {
      const row = this.sql.findEvent.get(e.id) as { stream_name: string; revision: number; position: number } | undefined;
      if (row) recorded.set(e.id, { streamName: row.stream_name, revision: row.revision, position: String(row.position) });
    }
    const decision = decideAppend(req, current, recorded);
    if (decision.kind === 'idempotent') return decision.result;
    // Unreachable while this connection is the only writer in the transaction; kept as a guard.
    return writeMany(req, decision.firstRevision, recordedAt);
  }

  private write(req: PreparedAppend, firstRevision: number, recordedAt: string): AppendResult {
    const category = streamCategory(req.streamName);
    let position = 0;
    req.events.forEach((e, i) => {
      const info = this.sql.insert.run(e.id, req.streamName, category, firstRevision + i, e.type, e.dataJson, e.metadataJson, recordedAt);
      position = Number(info.lastInsertRowid);
    });
    return { nextExpectedRevision: firstRevision + req.events.length - 1, position: String(position) };
  }
}

/** About how much a batch wrote: its events' texts and a row's worth more each (ids, names, the indexes). */
function committedBytes(batch: readonly (readonly PreparedAppend[])[]): number {
  let bytes = 0;
  for (const parts of batch)
    for (const part of parts) for (const e of part.events) bytes += e.dataJson.length + e.metadataJson.length + 256;
  return bytes;
}

function toRecorded([position, id, streamName, revision, type, data, metadata, recordedAt]: EventRow): RecordedEvent {
  return new StoredEvent(id, type, data, metadata, streamName, revision, String(position), recordedAt);
}
