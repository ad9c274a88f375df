import {
  assertPlainJson,
  expectationHolds,
  InvalidInputError,
  prepareAppend,
  prepareAppendToStreams,
  withJsonText,
  WrongExpectedVersionError,
  type AppendLimits,
  type AppendOptions,
  type AppendResult,
  type EventData,
  type EventStore,
  type JsonObject,
  type JsonValue,
  type PayloadSerialiser,
  type PreparedEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type SubscribeAllOptions,
  type Subscription,
} from '@civic/event-store';
import { checkedCanonicalCopy } from '../hash/canonical-json';
import { CHAIN_FIELD, splitChain, type ChainLink } from '../hash/event-hash';
import { hashCanonicalParts } from '../hash/fast-event-hash';

export interface ChainedEventStoreOptions extends AppendLimits {
  /**
   * How many times an append under `any` or `stream_exists` is tried again when another
   * writer moved the stream between reading its last event and appending.
   * @defaultValue 10
   */
  readonly maxAttempts?: number;
}

/**
 * Wraps any event store so that every appended event carries `metadata.chain = { hash,
 * previous }`: the hash of its canonical form chained to the previous event of its stream.
 *
 * Every append is made with an exact expected revision (the one the hashes were computed
 * for), so two writers can never chain onto the same event. Under `any` and `stream_exists`
 * the decorator reads the stream's last event, appends after it, and tries again when
 * another writer got there first.
 *
 * Retries: hashes are deterministic, so a retry with the same ids at the same place yields
 * the same events and the store's idempotent append applies unchanged. A retry under `any`
 * after the stream has moved on is recognised by looking the ids up in the stream (the
 * inner store rejects the exact revision without writing, which is the sign of a retry).
 *
 * Payloads are stored in canonical (RFC 8785) key order, so the verifier's fast path, which
 * hashes the stored text once it has checked that it is canonical, applies to every event.
 */
export class ChainedEventStore implements EventStore {
  /** Present when the inner store has it: the parts chained as `append` chains one, written in one atomic write. */
  readonly appendToStreams?: (appends: readonly StreamAppend[]) => Promise<AppendResult[]>;

  constructor(
    readonly inner: EventStore,
    private readonly options: ChainedEventStoreOptions = {},
  ) {
    const many = inner.appendToStreams?.bind(inner);
    if (many) this.appendToStreams = (appends) => this.chainToStreams(many, appends);
  }

  async append(streamName: string, events: readonly EventData[], options?: AppendOptions): Promise<AppendResult> {
    // Validate first, with the store's own rules, so that bad input is named exactly as the
    // store names it and nothing is read for a request that cannot be written.
    const canonical = new CanonicalCopies();
    const request = prepareAppend(streamName, events, options, this.options, canonical.serialise);
    events.forEach((e, i) => {
      if (e.metadata && CHAIN_FIELD in e.metadata) {
        throw new InvalidInputError(`events[${i}].metadata.${CHAIN_FIELD}`, 'is reserved for the audit hash chain');
      }
    });
    const expected = request.expectedRevision;
    if (expected === 'no_stream')
      return this.inner.append(streamName, this.chain(streamName, request.events, canonical, -1, null), { expectedRevision: 'no_stream' });
    if (typeof expected === 'number') {
      const [at] = await this.inner.readStream(streamName, { fromRevision: expected, maxCount: 1 });
      if (!at) throw new WrongExpectedVersionError(streamName, expected, await this.lastRevision(streamName));
      return this.inner.append(streamName, this.chain(streamName, request.events, canonical, expected, linkOf(at).hash), {
        expectedRevision: expected,
      });
    }
    const attempts = this.options.maxAttempts ?? 10;
    for (let attempt = 1; ; attempt++) {
      const [last] = await this.inner.readStream(streamName, { direction: 'backwards', maxCount: 1 });
      if (!last && expected === 'stream_exists') throw new WrongExpectedVersionError(streamName, expected, 'no_stream');
      const revision = last ? last.revision : -1;
      try {
        return await this.inner.append(
          streamName,
          this.chain(streamName, request.events, canonical, revision, last ? linkOf(last).hash : null),
          {
            expectedRevision: last ? revision : 'no_stream',
          },
        );
      } catch (err) {
        if (!(err instanceof WrongExpectedVersionError)) throw err;
        // The stream is where we expected it, yet the append was refused: the ids are
        // already recorded in this stream, so this is a late retry of an earlier append.
        const actual = err.actual === 'no_stream' ? -1 : err.actual;
        if (actual === revision) {
          const earlier = await this.findRecorded(streamName, events);
          if (earlier) return earlier;
        }
        if (attempt >= attempts) throw err;
      }
    }
  }

  /**
   * Each part is chained onto its stream as `append` chains it (a later part of the same stream
   * onto the earlier part), and every part is appended at an exact revision in one write. Under
   * `any` or `stream_exists` the whole write is tried again when another writer got there first;
   * a late retry is recognised by finding every part's ids recorded (the write was all or nothing).
   */
  private async chainToStreams(
    many: (appends: readonly StreamAppend[]) => Promise<AppendResult[]>,
    appends: readonly StreamAppend[],
  ): Promise<AppendResult[]> {
    const canonical = new CanonicalCopies();
    const parts = prepareAppendToStreams(appends, this.options, canonical.serialise);
    appends.forEach((part, i) =>
      part.events.forEach((e, j) => {
        if (e.metadata && CHAIN_FIELD in e.metadata) {
          throw new InvalidInputError(`appends[${i}].events[${j}].metadata.${CHAIN_FIELD}`, 'is reserved for the audit hash chain');
        }
      }),
    );
    const loose = parts.some((p) => p.expectedRevision === 'any' || p.expectedRevision === 'stream_exists');
    const attempts = this.options.maxAttempts ?? 10;
    for (let attempt = 1; ; attempt++) {
      // Where each stream's chain ends, as the parts before leave it.
      const tips = new Map<string, { revision: number; hash: string | null }>();
      const chained: StreamAppend[] = [];
      for (const [i, part] of parts.entries()) {
        const { streamName, expectedRevision } = part;
        let tip = tips.get(streamName);
        if (tip) {
          if (!expectationHolds(expectedRevision, tip.revision))
            throw new WrongExpectedVersionError(streamName, expectedRevision, tip.revision < 0 ? 'no_stream' : tip.revision);
        } else if (expectedRevision === 'no_stream') {
          tip = { revision: -1, hash: null };
        } else if (typeof expectedRevision === 'number') {
          const [at] = await this.inner.readStream(streamName, { fromRevision: expectedRevision, maxCount: 1 });
          if (!at) throw new WrongExpectedVersionError(streamName, expectedRevision, await this.lastRevision(streamName));
          tip = { revision: expectedRevision, hash: linkOf(at).hash };
        } else {
          const [last] = await this.inner.readStream(streamName, { direction: 'backwards', maxCount: 1 });
          if (!last && expectedRevision === 'stream_exists') throw new WrongExpectedVersionError(streamName, expectedRevision, 'no_stream');
          tip = last ? { revision: last.revision, hash: linkOf(last).hash } : { revision: -1, hash: null };
        }
        const events = this.chain(streamName, part.events, canonical, tip.revision, tip.hash);
        chained.push({ streamName, events, expectedRevision: tip.revision < 0 ? 'no_stream' : tip.revision });
        tips.set(streamName, { revision: tip.revision + events.length, hash: lastHash(events) });
      }
      try {
        return await many(chained);
      } catch (err) {
        if (!(err instanceof WrongExpectedVersionError) || !loose) throw err;
        const earlier = await Promise.all(parts.map((p, i) => this.findRecorded(p.streamName, appends[i].events)));
        if (earlier.every((r) => r !== undefined)) return earlier as AppendResult[];
        if (attempt >= attempts) throw err;
      }
    }
  }

  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamName, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  headPosition() {
    return this.inner.headPosition();
  }

  subscribeAll(options?: SubscribeAllOptions): Subscription {
    return this.inner.subscribeAll(options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The events with canonical payloads and their chain links, for revisions after `afterRevision`. */
  private chain(
    streamName: string,
    events: readonly PreparedEvent[],
    canonical: CanonicalCopies,
    afterRevision: number,
    previousHash: string | null,
  ): EventData[] {
    let previous = previousHash;
    return events.map((e, i) => {
      // The texts are canonical (see `CanonicalCopies`): hashed as they are, and written by the
      // inner store with the copies made from them.
      const dataText = e.dataJson;
      const metadataText = e.metadataJson;
      const data = canonical.copyOf(dataText);
      const metadata = canonical.copyOf(metadataText) as JsonObject;
      const hash = hashCanonicalParts(
        { streamName, revision: afterRevision + 1 + i, id: e.id, type: e.type, previous },
        dataText,
        metadataText,
      );
      const link: ChainLink = { hash, previous };
      previous = hash;
      // The copies are this store's own, made from text it checked: the inner store writes that
      // text (the metadata's with the chain as its last key, as serialising it would give).
      const chainText = `"${CHAIN_FIELD}":${JSON.stringify(link)}}`;
      const chained = { ...metadata, [CHAIN_FIELD]: { ...link } };
      return {
        id: e.id,
        type: e.type,
        data: typeof data === 'object' && data !== null ? withJsonText(data, dataText) : data,
        metadata: withJsonText(chained, metadataText === '{}' ? `{${chainText}` : `${metadataText.slice(0, -1)},${chainText}`),
      };
    });
  }

  private async lastRevision(streamName: string): Promise<number | 'no_stream'> {
    const [last] = await this.inner.readStream(streamName, { direction: 'backwards', maxCount: 1 });
    return last ? last.revision : 'no_stream';
  }

  /** Where the ids of `events` were recorded consecutively in this stream, read from its end backwards. */
  private async findRecorded(streamName: string, events: readonly EventData[]): Promise<AppendResult | undefined> {
    const first = events[0].id.toLowerCase();
    const page = 256;
    for (let from: number | 'end' = 'end'; ;) {
      const slice = await this.inner.readStream(streamName, { direction: 'backwards', fromRevision: from, maxCount: page });
      const hit = slice.find((e) => e.id === first);
      if (hit) {
        const run = await this.inner.readStream(streamName, { fromRevision: hit.revision, maxCount: events.length });
        const consecutive = run.length === events.length && run.every((e, i) => e.id === events[i].id.toLowerCase());
        return consecutive ? { nextExpectedRevision: run[run.length - 1].revision, position: run[run.length - 1].position } : undefined;
      }
      if (slice.length < page) return undefined;
      from = slice[slice.length - 1].revision - 1;
      if (from < 0) return undefined;
    }
  }
}

/** The chain hash of the last of these events, as `chain` made them. */
function lastHash(events: readonly EventData[]): string {
  return ((events[events.length - 1].metadata as JsonObject)[CHAIN_FIELD] as unknown as ChainLink).hash;
}

function linkOf(event: RecordedEvent): ChainLink {
  const { link } = splitChain(event.metadata);
  // Chaining onto an unchained event would make a history look auditable when it is not.
  if (!link)
    throw new InvalidInputError(
      'streamName',
      `event ${event.id} at revision ${event.revision} of "${event.streamName}" carries no hash chain`,
    );
  return link;
}

/**
 * The serialiser the chain checks appends with: each payload checked as the store checks it,
 * then given in RFC 8785 form (as long as `JSON.stringify`'s, so sizes are checked alike), with
 * a copy made in the same walk (keys in that order), found again by its text. So each payload
 * is walked once to check, copy and serialise it.
 *
 * The copies are asked for in the order the payloads were serialised (the chain walks the
 * prepared events as `prepareAppend` made them), so each is found by its place, the text it
 * was made for compared by identity: hashing every payload's text into a map cost more than
 * walking the payload. A copy asked for out of order is found by its text.
 */
class CanonicalCopies {
  private readonly texts: string[] = [];
  private readonly made: JsonValue[] = [];
  private next = 0;
  private byText: Map<string, JsonValue> | undefined;

  readonly serialise: PayloadSerialiser = (value, field) => {
    const made = checkedCanonicalCopy(value);
    if (!made) {
      // Walked again to name what is wrong, as the store would.
      assertPlainJson(value, field);
      throw new InvalidInputError(field, 'is not plain JSON');
    }
    this.texts.push(made.text);
    this.made.push(made.copy);
    return made.text;
  };

  /** The copy made for this text. Equal texts share one: the copies are never changed. */
  copyOf(text: string): JsonValue {
    const at = this.next;
    if (at < this.texts.length && this.texts[at] === text) {
      this.next = at + 1;
      return this.made[at];
    }
    this.byText ??= new Map(this.texts.map((t, i) => [t, this.made[i]]));
    const copy = this.byText.get(text);
    if (copy === undefined) throw new Error('No canonical copy of this payload: it was not checked through this serialiser');
    return copy;
  }
}
