import type { JsonObject, JsonValue, RecordedEvent } from '../port/types';

const UNPARSED = Symbol('unparsed');

/**
 * A recorded event built from stored columns. Its data and metadata are each parsed on first
 * access: a replay folding millions of events into a tally mostly never reads the metadata,
 * parsing it eagerly cost about a third of the read, and the Checkpointer (which follows every
 * event written) reads neither the data nor, for the chain's link, more than the metadata. It
 * serialises to JSON like a plain object; spread it only after reading what you need (`toJSON`).
 */
export class StoredEvent implements RecordedEvent {
  #dataJson: string;
  #data: JsonValue | typeof UNPARSED = UNPARSED;
  #metadataJson: string;
  #metadata: JsonObject | undefined;

  constructor(
    readonly id: string,
    readonly type: string,
    dataJson: string,
    metadataJson: string,
    readonly streamName: string,
    readonly revision: number,
    readonly position: string,
    readonly recordedAt: string,
  ) {
    this.#dataJson = dataJson;
    this.#metadataJson = metadataJson;
  }

  get data(): JsonValue {
    if (this.#data === UNPARSED) this.#data = JSON.parse(this.#dataJson) as JsonValue;
    return this.#data;
  }

  get metadata(): JsonObject {
    return (this.#metadata ??= JSON.parse(this.#metadataJson) as JsonObject);
  }

  toJSON(): RecordedEvent {
    const { id, type, data, metadata, streamName, revision, position, recordedAt } = this;
    return { id, type, data, metadata, streamName, revision, position, recordedAt };
  }
}
