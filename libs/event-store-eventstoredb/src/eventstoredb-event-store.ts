import { END, ErrorType, EventStoreDBClient, START, type AllStreamResolvedEvent } from '@eventstore/db-client';
import {
  assertMaxCount,
  assertStreamName,
  DEFAULT_READ_ALL_MAX_COUNT,
  matchesFilter,
  prepareAppend,
  resolveReadStream,
  StoreClosedError,
  StoreUnavailableError,
  type AppendLimits,
  type AppendOptions,
  type AppendResult,
  type EventData,
  type EventStore,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type Start,
  type SubscribeAllOptions,
  type Subscription,
} from '@civic/event-store';
import { isTransientError, toStoreError } from './mapping/errors';
import { fromResolvedEvent, toClientEvent } from './mapping/events';
import { planFilter } from './mapping/filter';
import { decodePosition, encodePosition } from './mapping/position';
import { toClientExpectedRevision, toRevision } from './mapping/revision';
import { filteredReadAll } from './read/filtered-read-all';
import { readAllPage } from './read/read-all-page';
import { ResumingSubscription, type ServerSubscription } from './subscription/resuming-subscription';

export interface EventStoreDbEventStoreOptions extends AppendLimits {
  /** e.g. `esdb://localhost:2113?tls=false`, usually from EVENTSTOREDB_URL. */
  readonly connectionString: string;
  /** How long `connect` waits for the server to answer, in ms. @defaultValue 5000 */
  readonly connectTimeoutMs?: number;
  /** How long a dropped subscription waits before resubscribing, in ms. @defaultValue 1000 */
  readonly resubscribeDelayMs?: number;
  /**
   * A prefix on every stream name, e.g. `t5f3a_`, so that several stores share one server,
   * each seeing only its own streams in $all (tests, one council per store). Letters, digits, _.
   * @defaultValue none
   */
  readonly namespace?: string;
}

/**
 * The event store port over EventStoreDB, through `@eventstore/db-client`. Thin on purpose:
 * the server keeps streams, expected revisions, idempotent appends and the global order; this
 * maps values and errors both ways (mapping/), reads $all with server-side filters that exclude
 * system events (read/), and resumes subscriptions from the last event handed over (subscription/).
 */
export class EventStoreDbEventStore implements EventStore {
  private closed = false;
  private readonly ns: string;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: Omit<EventStoreDbEventStoreOptions, 'connectionString'> = {},
  ) {
    this.ns = options.namespace ?? '';
    if (!/^(?:[A-Za-z][A-Za-z0-9_]*)?$/.test(this.ns)) throw new Error(`Invalid namespace "${this.ns}": letters, digits and _`);
  }

  /**
   * Connects and checks the server answers.
   * @throws StoreUnavailableError naming EVENTSTOREDB_URL when it cannot be reached.
   */
  static async connect(options: EventStoreDbEventStoreOptions): Promise<EventStoreDbEventStore> {
    const fail = (cause: unknown) =>
      new StoreUnavailableError(
        `Cannot reach EventStoreDB (${cause instanceof Error ? cause.message : String(cause)}). Check EVENTSTOREDB_URL (e.g. esdb://localhost:2113?tls=false) and that the server is running.`,
        { cause },
      );
    let client: EventStoreDBClient;
    try {
      client = EventStoreDBClient.connectionString(options.connectionString);
    } catch (err) {
      throw fail(err);
    }
    const store = new EventStoreDbEventStore(client, options);
    try {
      await withTimeout(store.headPosition(), options.connectTimeoutMs ?? 5000);
      return store;
    } catch (err) {
      await client.dispose().catch(() => undefined);
      throw fail(err);
    }
  }

  /** The prefix on this store's stream names ('' for none). */
  get namespace(): string {
    return this.ns;
  }

  async append(streamName: string, events: readonly EventData[], options?: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    const prepared = prepareAppend(streamName, events, options, this.options);
    let result;
    try {
      result = await this.client.appendToStream(
        this.ns + prepared.streamName,
        prepared.events.map((p, i) => toClientEvent(events[i], p)),
        { expectedRevision: toClientExpectedRevision(prepared.expectedRevision) },
      );
    } catch (err) {
      throw toStoreError('append', err, prepared.expectedRevision, this.ns);
    }
    const nextExpectedRevision = toRevision(result.nextExpectedRevision);
    // The server may answer an idempotent retry without a position: read the event it points at.
    const position = result.position ? encodePosition(result.position) : await this.positionOf(prepared.streamName, nextExpectedRevision);
    return { nextExpectedRevision, position };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    assertStreamName(streamName);
    const { backwards, from, maxCount } = resolveReadStream(options);
    if (!backwards && from === 'end') return [];
    const out: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(this.ns + streamName, {
        direction: backwards ? 'backwards' : 'forwards',
        fromRevision: from === 'end' ? END : from === 0 && !backwards ? START : BigInt(from),
        maxCount,
      });
      for await (const resolved of read) {
        const event = fromResolvedEvent(resolved, this.ns);
        if (event) out.push(event);
      }
    } catch (err) {
      if ((err as { type?: string }).type === ErrorType.STREAM_NOT_FOUND) return [];
      throw toStoreError('readStream', err);
    }
    return out;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const after = options.after ?? 'start';
    if (after !== 'start') decodePosition(after);
    const maxCount = assertMaxCount(options.maxCount ?? DEFAULT_READ_ALL_MAX_COUNT);
    const plan = planFilter(options.filter, this.ns);
    if (plan.matchesNothing) return [];
    const read = async (from: Position | Start, count: number) => {
      const out: (RecordedEvent | undefined)[] = [];
      const stream = filteredReadAll(this.client, {
        fromPosition: from === 'start' ? START : decodePosition(from),
        maxCount: count,
        filter: plan.server,
      });
      for await (const resolved of stream) out.push(fromResolvedEvent(resolved, this.ns));
      return out;
    };
    try {
      return await readAllPage(read, after, maxCount, (e) => matchesFilter(e, plan.residual));
    } catch (err) {
      throw toStoreError('readAll', err);
    }
  }

  async headPosition(): Promise<Position | Start> {
    this.assertOpen();
    try {
      const stream = filteredReadAll(this.client, {
        fromPosition: START,
        maxCount: 1,
        filter: planFilter(undefined, this.ns).server,
        backwards: true,
      });
      for await (const resolved of stream) {
        const event = fromResolvedEvent(resolved, this.ns);
        if (event) return event.position;
      }
      return 'start';
    } catch (err) {
      throw toStoreError('headPosition', err);
    }
  }

  subscribeAll(options: SubscribeAllOptions = {}): Subscription {
    const after = options.after ?? 'start';
    if (after !== 'start') decodePosition(after);
    const plan = planFilter(options.filter, this.ns);
    return new ResumingSubscription({
      after,
      open: (from) => this.openSubscription(from, plan.server),
      accept: (e) => !plan.matchesNothing && matchesFilter(e, plan.residual),
      isTransient: isTransientError,
      retryDelayMs: this.options.resubscribeDelayMs,
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.dispose();
  }

  private async positionOf(streamName: string, revision: number): Promise<Position> {
    const [event] = await this.readStream(streamName, { fromRevision: revision, maxCount: 1 });
    if (!event)
      throw new StoreUnavailableError(
        `EventStoreDB acknowledged an append to "${streamName}" at revision ${revision}, which cannot be read`,
      );
    return event.position;
  }

  private openSubscription(from: Position | Start, filter: ReturnType<typeof planFilter>['server']): ServerSubscription {
    this.assertOpen();
    // Subscriptions deliver events strictly after `fromPosition`.
    const sub = this.client.subscribeToAll({ fromPosition: from === 'start' ? START : decodePosition(from), filter });
    const ns = this.ns;
    return {
      async *[Symbol.asyncIterator]() {
        for await (const resolved of sub as AsyncIterable<AllStreamResolvedEvent>) yield fromResolvedEvent(resolved, ns);
      },
      unsubscribe: () => sub.unsubscribe(),
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
