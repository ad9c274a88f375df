/**
 * The event store port: the semantics of EventStoreDB (streams, expected revisions,
 * idempotent appends by event id, one global order, catch-up subscriptions), so that the
 * embedded SQLite store, PostgreSQL and EventStoreDB itself are interchangeable.
 */

/** Any value that survives `JSON.stringify` → `JSON.parse` unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * A position in the global order of all events. Opaque: compare positions only through
 * the store that issued them, never parse them. Always a string at every boundary
 * (JSON, GraphQL, files), never a bigint or a number.
 */
export type Position = string;

/** The position before the first event of the global order. */
export const START = 'start' as const;
export type Start = typeof START;

/** Revisions are the 0-based index of an event in its stream. */
export type StreamRevision = number;

export const ANY = 'any' as const;
export const NO_STREAM = 'no_stream' as const;
export const STREAM_EXISTS = 'stream_exists' as const;

/**
 * What the writer believes about the stream:
 * - `any`: no check;
 * - `no_stream`: the stream must not exist yet;
 * - `stream_exists`: the stream must have at least one event;
 * - a number: the revision of the stream's last event must be exactly this.
 */
export type ExpectedRevision = typeof ANY | typeof NO_STREAM | typeof STREAM_EXISTS | StreamRevision;

/** An event to append. */
export interface EventData<Data extends JsonValue = JsonValue, Meta extends JsonObject = JsonObject> {
  /** A UUID chosen by the writer; the same id appended again is a retry, not a new event. */
  readonly id: string;
  /** A stable string literal in the past tense, e.g. `BallotCast`. Never a class name. */
  readonly type: string;
  readonly data: Data;
  /** @defaultValue `{}` */
  readonly metadata?: Meta;
}

/** An event as stored. */
export interface RecordedEvent<Data extends JsonValue = JsonValue, Meta extends JsonObject = JsonObject> {
  readonly id: string;
  readonly type: string;
  readonly data: Data;
  readonly metadata: Meta;
  readonly streamName: string;
  readonly revision: StreamRevision;
  readonly position: Position;
  /** When the store recorded it, ISO 8601 in UTC. */
  readonly recordedAt: string;
}

export interface AppendOptions {
  /** @defaultValue `any` */
  readonly expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** The revision of the stream's last event after this append: pass it as the next expected revision. */
  readonly nextExpectedRevision: StreamRevision;
  /** The global position of the last event of this append. */
  readonly position: Position;
}

/** One stream's part of a multi-stream append (`EventStore.appendToStreams`). */
export interface StreamAppend {
  readonly streamName: string;
  readonly events: readonly EventData[];
  /** @defaultValue `any` */
  readonly expectedRevision?: ExpectedRevision;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** @defaultValue `forwards` */
  readonly direction?: Direction;
  /**
   * The first revision to read (inclusive). `start` and `end` name the ends of the stream.
   * @defaultValue `start` forwards, `end` backwards
   */
  readonly fromRevision?: StreamRevision | 'start' | 'end';
  /** @defaultValue no limit */
  readonly maxCount?: number;
}

export interface EventFilter {
  /** Only events of these types. @defaultValue every type */
  readonly eventTypes?: readonly string[];
  /** Only events of streams of these categories (the part of the stream name before the first `-`). @defaultValue every category */
  readonly streamCategories?: readonly string[];
}

export interface ReadAllOptions {
  /** Read events strictly after this position. @defaultValue `start` */
  readonly after?: Position | Start;
  /** @defaultValue 1000 */
  readonly maxCount?: number;
  /** @defaultValue no filter */
  readonly filter?: EventFilter;
}

export interface SubscribeAllOptions {
  /** Deliver events strictly after this position: a checkpoint stored by the subscriber. @defaultValue `start` */
  readonly after?: Position | Start;
  /** @defaultValue no filter */
  readonly filter?: EventFilter;
  /** How many events to read per page while catching up. @defaultValue 1000 */
  readonly batchSize?: number;
}

/**
 * A catch-up subscription: an async iterable over every event after the checkpoint, then
 * live events as they are committed, in global order, each exactly once. The consumer pulls,
 * so a slow consumer slows reading rather than buffering the log in memory.
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  /** Stops the subscription; a pending iteration ends. Idempotent. */
  stop(): Promise<void>;
}

/** The port. Every adapter passes the contract suite in `@civic/event-store/testing`. */
export interface EventStore {
  /**
   * Appends events atomically to one stream, checking the expected revision.
   * Appending events whose ids were already appended at the same place is a retry: it
   * succeeds and writes nothing.
   * @throws WrongExpectedVersionError when the stream is not at the expected revision.
   * @throws InvalidInputError on a bad stream name, revision, id, type or payload.
   */
  append(streamName: string, events: readonly EventData[], options?: AppendOptions): Promise<AppendResult>;

  /**
   * Appends to several streams in one atomic write: either every part is written or none is.
   * Each part is checked as `append` checks it (its expected revision; its ids appended again
   * at the same place are a retry), in order, as if the parts were appended one after another.
   * At most `maxEventsPerAppend` events in all. Optional: the SQLite and PostgreSQL stores have
   * it, EventStoreDB's client does not; callers fall back to one `append` per stream.
   * @returns one result per part, in order.
   * @throws the first failing part's WrongExpectedVersionError or InvalidInputError, having written nothing.
   */
  appendToStreams?(appends: readonly StreamAppend[]): Promise<AppendResult[]>;

  /** Reads one stream; a missing stream reads as empty. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** Reads the global order after a position, one page at a time. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /** The position of the last committed event, or `start` on an empty store. */
  headPosition(): Promise<Position | Start>;

  /** Catches up from a checkpoint, then goes live. */
  subscribeAll(options?: SubscribeAllOptions): Subscription;

  /** Releases connections and files; pending appends finish first. */
  close(): Promise<void>;
}
