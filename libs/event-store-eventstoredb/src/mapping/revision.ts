import {
  ANY as CLIENT_ANY,
  NO_STREAM as CLIENT_NO_STREAM,
  STREAM_EXISTS as CLIENT_STREAM_EXISTS,
  type AppendExpectedRevision,
  type CurrentRevision,
} from '@eventstore/db-client';
import type { ExpectedRevision, StreamRevision } from '@civic/event-store';

/** Our expected revision as the client takes it (revisions are bigints there). */
export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return CLIENT_ANY;
    case 'no_stream':
      return CLIENT_NO_STREAM;
    case 'stream_exists':
      return CLIENT_STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

/** The client's expected revision (as reported in its errors) as ours. */
export function fromClientExpectedRevision(expected: AppendExpectedRevision): ExpectedRevision {
  switch (expected) {
    case CLIENT_ANY:
      return 'any';
    case CLIENT_NO_STREAM:
      return 'no_stream';
    case CLIENT_STREAM_EXISTS:
      return 'stream_exists';
    default:
      return toRevision(expected);
  }
}

/** A stream's current revision as the client reports it. */
export function fromClientCurrentRevision(current: CurrentRevision): StreamRevision | 'no_stream' {
  return current === CLIENT_NO_STREAM ? 'no_stream' : toRevision(current);
}

/** A bigint revision as a number; revisions beyond 2^53 cannot occur in this platform. */
export function toRevision(value: bigint): StreamRevision {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`Revision ${value} is out of range`);
  return Number(value);
}
