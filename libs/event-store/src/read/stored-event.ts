import type { JsonObject, JsonValue, RecordedEvent } from '../port/types';

/**
 * A recorded event built from stored columns. Its metadata is parsed on first access: a
 * replay folding millions of events into a tally mostly never reads it, and parsing it
 * eagerly costs about a third of the read. It serialises to JSON like a plain object.
 */
export class StoredEvent implements RecordedEvent {
  readonly data: JsonValue;
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
    this.data = JSON.parse(dataJson);
    this.#metadataJson = metadataJson;
  }

  get metadata(): JsonObject {
    return (this.#metadata ??= JSON.parse(this.#metadataJson) as JsonObject);
  }

  toJSON(): RecordedEvent {
    const { id, type, data, metadata, streamName, revision, position, recordedAt } = this;
    return { id, type, data, metadata, streamName, revision, position, recordedAt };
  }
}
