import { InvalidInputError, WrongExpectedVersionError } from '../errors/event-store.errors';
import type { AppendResult, ExpectedRevision, Position, StreamRevision } from '../port/types';
import type { PreparedAppend } from '../validation/validate-append';

/** Where an event id was recorded before, as an adapter finds it. */
export interface RecordedPlace {
  readonly streamName: string;
  readonly revision: StreamRevision;
  readonly position: Position;
}

export type AppendDecision =
  { readonly kind: 'write'; readonly firstRevision: StreamRevision } | { readonly kind: 'idempotent'; readonly result: AppendResult };

/** `-1` stands for a stream that does not exist. */
export const NO_STREAM_REVISION = -1;

/**
 * The rules every adapter applies inside its write transaction, given the stream's current
 * revision and where any of the request's event ids were recorded before:
 * - none recorded: check the expected revision and write after the current revision;
 * - all recorded, consecutively, in this stream, at a place consistent with the expected
 *   revision: a retry of the same request, so succeed without writing (EventStoreDB's
 *   idempotent append);
 * - anything else: reject, writing nothing.
 */
export function decideAppend(
  request: PreparedAppend,
  currentRevision: StreamRevision,
  recorded: ReadonlyMap<string, RecordedPlace>,
): AppendDecision {
  const { streamName, expectedRevision, events } = request;
  if (recorded.size === 0) {
    if (!expectationHolds(expectedRevision, currentRevision)) {
      throw wrongVersion(streamName, expectedRevision, currentRevision);
    }
    return { kind: 'write', firstRevision: currentRevision + 1 };
  }
  const first = recorded.get(events[0].id);
  events.forEach((event, i) => {
    const place = recorded.get(event.id);
    if (!first || !place || place.streamName !== streamName || place.revision !== first.revision + i) {
      throw new InvalidInputError(
        `events[${i}].id`,
        'was already recorded elsewhere; a retry must resend exactly the events of the original append',
      );
    }
  });
  const retryHolds =
    expectedRevision === 'any' ||
    expectedRevision === 'stream_exists' ||
    (expectedRevision === 'no_stream' && first!.revision === 0) ||
    expectedRevision === first!.revision - 1;
  if (!retryHolds) throw wrongVersion(streamName, expectedRevision, currentRevision);
  const last = recorded.get(events[events.length - 1].id)!;
  return { kind: 'idempotent', result: { nextExpectedRevision: last.revision, position: last.position } };
}

export function expectationHolds(expected: ExpectedRevision, current: StreamRevision): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === NO_STREAM_REVISION;
    case 'stream_exists':
      return current !== NO_STREAM_REVISION;
    default:
      return expected === current;
  }
}

function wrongVersion(streamName: string, expected: ExpectedRevision, current: StreamRevision) {
  return new WrongExpectedVersionError(streamName, expected, current === NO_STREAM_REVISION ? 'no_stream' : current);
}
