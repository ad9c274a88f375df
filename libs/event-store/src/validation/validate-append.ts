import { InvalidInputError } from '../errors/event-store.errors';
import type { AppendOptions, EventData, ExpectedRevision, StreamAppend } from '../port/types';
import { assertStreamName } from './stream-name';
import { serialiseJson } from './json';

/** An event checked and serialised once, ready for any adapter to write. */
export interface PreparedEvent {
  readonly id: string;
  readonly type: string;
  readonly dataJson: string;
  readonly metadataJson: string;
}

export interface PreparedAppend {
  readonly streamName: string;
  readonly expectedRevision: ExpectedRevision;
  readonly events: readonly PreparedEvent[];
}

export interface AppendLimits {
  /** Largest serialised data + metadata of one event, in bytes. @defaultValue 4 MiB */
  readonly maxEventBytes?: number;
  /** Most events in one append. @defaultValue 10 000 */
  readonly maxEventsPerAppend?: number;
}

export const DEFAULT_MAX_EVENT_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_EVENTS_PER_APPEND = 10_000;

/** The names of the first events' payloads, made once (most appends hold one event or a few). */
const dataFields = Array.from({ length: 16 }, (_, i) => `events[${i}].data`);
const metadataFields = Array.from({ length: 16 }, (_, i) => `events[${i}].metadata`);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.:-]{0,255}$/;

export function assertExpectedRevision(value: unknown): asserts value is ExpectedRevision {
  if (value === 'any' || value === 'no_stream' || value === 'stream_exists') return;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return;
  throw new InvalidInputError(
    'expectedRevision',
    `must be "any", "no_stream", "stream_exists" or a revision (an integer ≥ 0), got ${describe(value)}`,
  );
}

/**
 * Checks a payload and gives its JSON text, or throws InvalidInputError naming `field`
 * (`serialiseJson` by default). Another serialiser checks as much and gives a text as long for
 * the same value, since the size limit is checked on it: the RFC 8785 form the audit chain
 * hashes, say, which differs only in key order.
 */
export type PayloadSerialiser = (value: unknown, field: string) => string;

/**
 * Checks an append request and serialises its payloads. Throws InvalidInputError before
 * anything is written, so a bad request never leaves a trace in the store.
 */
export function prepareAppend(
  streamName: unknown,
  events: unknown,
  options: AppendOptions | undefined,
  limits: AppendLimits = {},
  serialise: PayloadSerialiser = serialiseJson,
): PreparedAppend {
  assertStreamName(streamName);
  const expectedRevision = options?.expectedRevision === undefined ? 'any' : options.expectedRevision;
  assertExpectedRevision(expectedRevision);
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidInputError('events', 'must be a non-empty array');
  }
  const maxEvents = limits.maxEventsPerAppend ?? DEFAULT_MAX_EVENTS_PER_APPEND;
  if (events.length > maxEvents) throw new InvalidInputError('events', `at most ${maxEvents} events per append`);
  const maxBytes = limits.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  // One event cannot repeat an id: no set for it (a multi-stream append has thousands of such parts).
  const seen = events.length > 1 ? new Set<string>() : undefined;
  const prepared = events.map((event: EventData, i): PreparedEvent => {
    // Fields are named only when they are refused, and the payloads' only when serialising one
    // may refuse it: every event written went through here, making three names it never used.
    if (typeof event !== 'object' || event === null) throw new InvalidInputError(`events[${i}]`, 'must be an object');
    if (typeof event.id !== 'string' || !UUID.test(event.id)) throw new InvalidInputError(`events[${i}].id`, 'must be a UUID');
    const id = event.id.toLowerCase();
    if (seen?.has(id)) throw new InvalidInputError(`events[${i}].id`, 'appears twice in one append');
    seen?.add(id);
    if (typeof event.type !== 'string' || !EVENT_TYPE.test(event.type)) {
      throw new InvalidInputError(`events[${i}].type`, 'must start with a letter and hold only letters, digits, _ . : - (at most 256)');
    }
    const dataJson = serialise(event.data, dataFields[i] ?? `events[${i}].data`);
    const metadata = event.metadata ?? {};
    if (typeof metadata !== 'object' || Array.isArray(metadata) || metadata === null) {
      throw new InvalidInputError(`events[${i}].metadata`, 'must be a JSON object');
    }
    const metadataJson = serialise(metadata, metadataFields[i] ?? `events[${i}].metadata`);
    // A UTF-16 code unit takes at most three bytes in UTF-8: the bytes are counted only when that could pass the limit.
    if ((dataJson.length + metadataJson.length) * 3 > maxBytes) {
      const bytes = Buffer.byteLength(dataJson) + Buffer.byteLength(metadataJson);
      if (bytes > maxBytes) throw new InvalidInputError(`events[${i}]`, `is ${bytes} bytes; the limit is ${maxBytes}`);
    }
    return { id, type: event.type, dataJson, metadataJson };
  });
  return { streamName, expectedRevision, events: prepared };
}

/**
 * Checks a multi-stream append and serialises its payloads, as `prepareAppend` does for each
 * part; the limit on events holds for all the parts together (they are one write). Bad input
 * names the part (`appends[i]…`).
 */
export function prepareAppendToStreams(
  appends: unknown,
  limits: AppendLimits = {},
  serialise: PayloadSerialiser = serialiseJson,
): PreparedAppend[] {
  if (!Array.isArray(appends) || appends.length === 0) throw new InvalidInputError('appends', 'must be a non-empty array');
  const maxEvents = limits.maxEventsPerAppend ?? DEFAULT_MAX_EVENTS_PER_APPEND;
  let total = 0;
  const seen = new Set<string>();
  return appends.map((part: StreamAppend, i) => {
    const at = `appends[${i}]`;
    if (typeof part !== 'object' || part === null) throw new InvalidInputError(at, 'must be an object');
    let prepared: PreparedAppend;
    try {
      prepared = prepareAppend(part.streamName, part.events, { expectedRevision: part.expectedRevision }, limits, serialise);
    } catch (error) {
      if (error instanceof InvalidInputError) throw new InvalidInputError(`${at}.${error.field}`, error.reason);
      throw error;
    }
    total += prepared.events.length;
    if (total > maxEvents) throw new InvalidInputError('appends', `at most ${maxEvents} events in all`);
    prepared.events.forEach((e, j) => {
      if (seen.has(e.id)) throw new InvalidInputError(`${at}.events[${j}].id`, 'appears twice in one append');
      seen.add(e.id);
    });
    return prepared;
  });
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n (a bigint)`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
