import type { ExpectedRevision, StreamRevision } from '../port/types';

/** Stable codes of the event store's errors, as carried to every transport. */
export const EVENT_STORE_ERROR_CODES = [
  'EVENT_STORE.WRONG_EXPECTED_VERSION',
  'EVENT_STORE.INVALID_INPUT',
  'EVENT_STORE.CLOSED',
  'EVENT_STORE.UNAVAILABLE',
] as const;
export type EventStoreErrorCode = (typeof EVENT_STORE_ERROR_CODES)[number];

export abstract class EventStoreError extends Error {
  abstract readonly code: EventStoreErrorCode;
}

/** The stream was not at the revision the writer expected; nothing was written. */
export class WrongExpectedVersionError extends EventStoreError {
  readonly code = 'EVENT_STORE.WRONG_EXPECTED_VERSION' as const;
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    /** The revision of the stream's last event, or `no_stream`. */
    readonly actual: StreamRevision | 'no_stream',
  ) {
    super(`Wrong expected version on stream "${streamName}": expected ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** The request was malformed; nothing was written. */
export class InvalidInputError extends EventStoreError {
  readonly code = 'EVENT_STORE.INVALID_INPUT' as const;
  constructor(
    /** Which part of the input, e.g. `streamName`, `events[2].data`. */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`Invalid ${field}: ${reason}`);
    this.name = 'InvalidInputError';
  }
}

export class StoreClosedError extends EventStoreError {
  readonly code = 'EVENT_STORE.CLOSED' as const;
  constructor() {
    super('The event store is closed');
    this.name = 'StoreClosedError';
  }
}

/** The backing server could not be reached or failed; the append may be retried with the same ids. */
export class StoreUnavailableError extends EventStoreError {
  readonly code = 'EVENT_STORE.UNAVAILABLE' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
