import { Inject, Injectable, Optional, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@civic/config';
import type { EventStore, Position, Start } from '@civic/event-store';
import { batchFolder, overlayBytes, ReadModelDatabase, ReadModelSnapshots, statement } from '@civic/projections';
import { TIME_TRAVEL_PROJECTIONS } from '@civic/read-models';
import { ApiError } from '../errors/api-error';
import { READ_MODELS, SNAPSHOTS } from '../read-models/read-models.module';
import { APP_CONFIG, EVENT_STORE } from '../tokens';
import { positionAt, resolveAsOf, type Moment } from './as-of';
import { Gate } from './gate';
import { LeaseCache, type Lease } from './lease-cache';

/**
 * Events read and folded per transaction: a whole snapshot interval at the default spacing, so a
 * build commits once (each commit of a large in-memory copy costs a few milliseconds).
 */
const PAGE = 5000;

/** Seams for tests: what was replayed, and a pause between taking a database and reading it. */
export interface TimeTravelHooks {
  /** Awaited as a build starts, holding its place among the builds at once. */
  building?(moment: Moment): Promise<void> | void;
  /** Called with each page of events replayed. */
  replayed?(count: number): void;
  /** Awaited after a request has its database and before it reads (forces interleavings). */
  beforeRead?(moment: Moment): Promise<void> | void;
  /** Events read and folded per transaction (default: a snapshot interval's worth). */
  pageSize?: number;
}

/**
 * The read models as they stood at an earlier point of the history (`asOf`, see
 * {@link resolveAsOf}). The `asOf` is checked against the live timeline first, so a bad one
 * costs nothing. A database for that point is then built from the nearest snapshot at or
 * before it (taken by the live read models every `TIME_TRAVEL_SNAPSHOT_EVERY` events), with
 * only the events after the snapshot replayed through the same projections as the live ones,
 * so an answer "as of" a point equals what the live read models answered then. A snapshot's
 * large tables (`TIME_TRAVEL_SET_APART`: the ballots) are read in place from their file, and
 * what the replay writes to them goes to an in-memory overlay (see `ReadModelSnapshots.load`):
 * a build copies about a megabyte into memory, not the whole history's ballots.
 *
 * Databases are cached by the point they hold (two spellings of one point share one), within
 * `TIME_TRAVEL_CACHE` entries and `TIME_TRAVEL_CACHE_MB`; at most `TIME_TRAVEL_CONCURRENCY`
 * are built at once, a few more wait, and beyond that a request is refused (`RATE_LIMITED`).
 * A database is closed only once no request holds it.
 */
@Injectable()
export class TimeTravel implements OnApplicationShutdown {
  hooks: TimeTravelHooks = {};
  private readonly cache: LeaseCache<number, ReadModelDatabase>;
  private readonly gate: Gate;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly live: ReadModelDatabase,
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() @Inject(SNAPSHOTS) private readonly snapshots?: ReadModelSnapshots,
  ) {
    this.cache = new LeaseCache({
      maxEntries: config.TIME_TRAVEL_CACHE,
      maxBytes: config.TIME_TRAVEL_CACHE_MB * 1024 * 1024,
      size: (rm) => rm.byteSize() + overlayBytes(rm.db),
      close: (rm) => rm.close(),
    });
    this.gate = new Gate(config.TIME_TRAVEL_CONCURRENCY, 8 * config.TIME_TRAVEL_CONCURRENCY);
  }

  /**
   * Runs `read` on the read models as of `asOf`. `read` must finish its reading before it
   * returns (the database may be closed once it has): readers build plain objects.
   */
  async read<T>(asOf: string, read: (readModels: ReadModelDatabase, moment: Moment) => T): Promise<T> {
    const moment = this.resolve(asOf);
    const lease = await this.lease(moment);
    try {
      await this.hooks.beforeRead?.(moment);
      return read(lease.value, moment);
    } finally {
      lease.release();
    }
  }

  /** Checks `asOf` and finds its point of the history, replaying nothing (`INPUT.INVALID` when it is not one). */
  resolve(asOf: string): Moment {
    return resolveAsOf(asOf, this.live);
  }

  /** True when the event at `position` is within the first `moment.events` of the history. */
  reached(moment: Moment, position: string): boolean {
    const row = statement(this.live.db, `SELECT seq FROM timeline WHERE position = ?`).get(position) as { seq: number } | undefined;
    return row !== undefined && row.seq <= moment.events;
  }

  /** Databases now cached (for tests and metrics). */
  get cached(): { entries: number; bytes: number } {
    return this.cache.stats;
  }

  /** Forgets every cached database (each is closed once no request holds it). */
  clear(): void {
    this.cache.clear();
  }

  onApplicationShutdown(): void {
    this.clear();
  }

  private lease(moment: Moment): Promise<Lease<ReadModelDatabase>> {
    // Requests for one point share one build, cached at once, even while it waits for its turn.
    return (
      this.cache.hit(moment.events) ??
      this.cache.build(moment.events, async () => {
        await this.gate.enter();
        try {
          return await this.build(moment);
        } finally {
          this.gate.leave();
        }
      })
    );
  }

  /** The read models at `moment`: the nearest usable snapshot, then the events after it. */
  private async build(moment: Moment): Promise<ReadModelDatabase> {
    await this.hooks.building?.(moment);
    const readModels = (await this.nearestSnapshot(moment.events)) ?? ReadModelDatabase.open(':memory:', TIME_TRAVEL_PROJECTIONS);
    // A throwaway copy needs no rollback journal: a build that fails is closed and never read.
    // Without it, each B-tree page the replay touches is not first copied aside.
    readModels.db.pragma('journal_mode = OFF');
    try {
      await this.replay(readModels, moment);
      return readModels;
    } catch (err) {
      readModels.close();
      throw err;
    }
  }

  private async nearestSnapshot(events: number): Promise<ReadModelDatabase | undefined> {
    for (let at = this.snapshots?.nearest(events); this.snapshots && at !== undefined; at = this.snapshots.nearest(at - 1)) {
      const rm = await this.snapshots.load(at);
      // A snapshot of another history (the read-model file was replaced) is of no use.
      if (rm && rm.checkpoint() === positionAt(this.live, at)) return rm;
      rm?.close();
      this.snapshots.drop(at);
    }
    return undefined;
  }

  private async replay(readModels: ReadModelDatabase, moment: Moment): Promise<void> {
    const fold = batchFolder(readModels);
    let after: Position | Start = readModels.checkpoint();
    for (let left = moment.events - readModels.eventCount(); left > 0;) {
      const page = await this.store.readAll({ after, maxCount: Math.min(this.hooks.pageSize ?? PAGE, left) });
      if (page.length === 0) throw new ApiError('UNAVAILABLE', 'The history is shorter than the read models: try again later.');
      fold(page);
      this.hooks.replayed?.(page.length);
      left -= page.length;
      after = page[page.length - 1].position;
    }
    if (readModels.checkpoint() !== moment.position)
      throw new ApiError('UNAVAILABLE', 'The history does not match the read models: try again later.');
  }
}
