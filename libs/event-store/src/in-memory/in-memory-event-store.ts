import { decideAppend, NO_STREAM_REVISION, type RecordedPlace } from '../append/decide-append';
import { StoreClosedError } from '../errors/event-store.errors';
import type {
  AppendOptions,
  AppendResult,
  EventData,
  EventStore,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  Start,
  StreamAppend,
  SubscribeAllOptions,
  Subscription,
} from '../port/types';
import { AppendNotifier } from '../subscription/append-notifier';
import { CatchUpSubscription } from '../subscription/catch-up-subscription';
import { prepareAppend, prepareAppendToStreams, type AppendLimits, type PreparedAppend } from '../validation/validate-append';
import { assertStreamName } from '../validation/stream-name';
import { matchesFilter, readStreamSlice, assertReadAllOptions } from '../read/read-helpers';

/** The log an in-memory store keeps; share one between instances to simulate a restart. */
export interface InMemoryLog {
  readonly events: RecordedEvent[];
}

export interface InMemoryEventStoreOptions extends AppendLimits {
  /** @defaultValue a new empty log */
  readonly log?: InMemoryLog;
  /** @defaultValue `() => new Date()` */
  readonly clock?: () => Date;
}

/**
 * An event store in memory, for unit tests only: the same semantics as every adapter (it
 * passes the contract suite), nothing durable. Positions are 1-based indexes as strings.
 */
export class InMemoryEventStore implements EventStore {
  readonly log: InMemoryLog;
  private readonly byId = new Map<string, RecordedPlace>();
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly notifier = new AppendNotifier();
  private closed = false;

  constructor(private readonly options: InMemoryEventStoreOptions = {}) {
    this.log = options.log ?? { events: [] };
    for (const event of this.log.events) this.index(event);
  }

  async append(streamName: string, events: readonly EventData[], options?: AppendOptions): Promise<AppendResult> {
    if (this.closed) throw new StoreClosedError();
    return this.commit([prepareAppend(streamName, events, options, this.options)])[0];
  }

  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    if (this.closed) throw new StoreClosedError();
    return this.commit(prepareAppendToStreams(appends, this.options));
  }

  /** Decides every part, each seeing the parts before it, and writes only if all of them hold. */
  private commit(requests: readonly PreparedAppend[]): AppendResult[] {
    const revisions = new Map<string, number>();
    const places = new Map<string, RecordedPlace>();
    const writes: { request: PreparedAppend; firstRevision: number }[] = [];
    let next = this.log.events.length;
    const results = requests.map((request): AppendResult => {
      const recorded = new Map<string, RecordedPlace>();
      for (const e of request.events) {
        const place = places.get(e.id) ?? this.byId.get(e.id);
        if (place) recorded.set(e.id, place);
      }
      const length = this.streams.get(request.streamName)?.length ?? 0;
      const current = revisions.get(request.streamName) ?? (length === 0 ? NO_STREAM_REVISION : length - 1);
      const decision = decideAppend(request, current, recorded);
      if (decision.kind === 'idempotent') return decision.result;
      writes.push({ request, firstRevision: decision.firstRevision });
      request.events.forEach((e, i) =>
        places.set(e.id, { streamName: request.streamName, revision: decision.firstRevision + i, position: String(++next) }),
      );
      const nextExpectedRevision = decision.firstRevision + request.events.length - 1;
      revisions.set(request.streamName, nextExpectedRevision);
      return { nextExpectedRevision, position: String(next) };
    });
    if (writes.length === 0) return results;
    const recordedAt = (this.options.clock?.() ?? new Date()).toISOString();
    for (const { request, firstRevision } of writes) {
      request.events.forEach((e, i) => {
        const event: RecordedEvent = {
          id: e.id,
          type: e.type,
          data: JSON.parse(e.dataJson),
          metadata: JSON.parse(e.metadataJson),
          streamName: request.streamName,
          revision: firstRevision + i,
          position: String(this.log.events.length + 1),
          recordedAt,
        };
        this.log.events.push(event);
        this.index(event);
      });
    }
    this.notifier.notify();
    return results;
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (this.closed) throw new StoreClosedError();
    assertStreamName(streamName);
    return readStreamSlice(this.streams.get(streamName) ?? [], options).map(copy);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    if (this.closed) throw new StoreClosedError();
    const { after, maxCount } = assertReadAllOptions(options);
    const out: RecordedEvent[] = [];
    for (let i = after; i < this.log.events.length && out.length < maxCount; i++) {
      const event = this.log.events[i];
      if (matchesFilter(event, options.filter)) out.push(copy(event));
    }
    return out;
  }

  async headPosition(): Promise<Position | Start> {
    const n = this.log.events.length;
    return n === 0 ? 'start' : String(n);
  }

  subscribeAll(options: SubscribeAllOptions = {}): Subscription {
    return new CatchUpSubscription(
      {
        readPage: (after, maxCount, filter) => this.readAll({ after, maxCount, filter }),
        changeToken: () => this.notifier.current,
        waitForChange: (token, signal) => this.notifier.wait(token, 1000, signal),
      },
      options,
    );
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private index(event: RecordedEvent): void {
    this.byId.set(event.id, { streamName: event.streamName, revision: event.revision, position: event.position });
    const stream = this.streams.get(event.streamName) ?? [];
    stream.push(event);
    this.streams.set(event.streamName, stream);
  }
}

/** Readers get their own copies, so a consumer mutating an event cannot alter the log. */
function copy(event: RecordedEvent): RecordedEvent {
  return structuredClone(event);
}
