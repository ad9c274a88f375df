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
  SubscribeAllOptions,
  Subscription,
} from '../port/types';
import { AppendNotifier } from '../subscription/append-notifier';
import { CatchUpSubscription } from '../subscription/catch-up-subscription';
import { prepareAppend, type AppendLimits } from '../validation/validate-append';
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
    const request = prepareAppend(streamName, events, options, this.options);
    const stream = this.streams.get(streamName) ?? [];
    const recorded = new Map<string, RecordedPlace>();
    for (const e of request.events) {
      const place = this.byId.get(e.id);
      if (place) recorded.set(e.id, place);
    }
    const current = stream.length === 0 ? NO_STREAM_REVISION : stream.length - 1;
    const decision = decideAppend(request, current, recorded);
    if (decision.kind === 'idempotent') return decision.result;
    const recordedAt = (this.options.clock?.() ?? new Date()).toISOString();
    request.events.forEach((e, i) => {
      const event: RecordedEvent = {
        id: e.id,
        type: e.type,
        data: JSON.parse(e.dataJson),
        metadata: JSON.parse(e.metadataJson),
        streamName,
        revision: decision.firstRevision + i,
        position: String(this.log.events.length + 1),
        recordedAt,
      };
      this.log.events.push(event);
      this.index(event);
    });
    this.notifier.notify();
    const last = this.log.events[this.log.events.length - 1];
    return { nextExpectedRevision: last.revision, position: last.position };
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
