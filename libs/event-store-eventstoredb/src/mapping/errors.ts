import { ErrorType, type CommandError } from '@eventstore/db-client';
import {
  EventStoreError,
  InvalidInputError,
  StoreUnavailableError,
  WrongExpectedVersionError,
  type ExpectedRevision,
} from '@civic/event-store';
import { fromClientCurrentRevision, fromClientExpectedRevision } from './revision';

/**
 * Maps what the client throws to the port's errors: the wrong-expected-version error to ours
 * (naming stream, expected and actual), an oversized append to InvalidInputError, and anything
 * else (unreachable, not leader, deadline, denied) to StoreUnavailableError. `expected` is what
 * the caller asked for, which the server reports less precisely; stream names lose the namespace.
 */
export function toStoreError(operation: string, err: unknown, expected?: ExpectedRevision, namespace = ''): EventStoreError {
  if (err instanceof EventStoreError) return err;
  const type = isCommandError(err) ? err.type : undefined;
  switch (type) {
    case ErrorType.WRONG_EXPECTED_VERSION: {
      const e = err as Extract<CommandError, { type: ErrorType.WRONG_EXPECTED_VERSION }>;
      return new WrongExpectedVersionError(
        e.streamName.startsWith(namespace) ? e.streamName.slice(namespace.length) : e.streamName,
        expected ?? fromClientExpectedRevision(e.expectedVersion),
        fromClientCurrentRevision(e.actualVersion),
      );
    }
    case ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED:
      return new InvalidInputError('events', `exceed the server's maximum append size: ${(err as Error).message}`);
    default: {
      const message = err instanceof Error ? err.message : String(err);
      return new StoreUnavailableError(`EventStoreDB ${operation} failed${type ? ` (${type})` : ''}: ${message}`, { cause: err });
    }
  }
}

function isCommandError(err: unknown): err is CommandError {
  return err instanceof Error && typeof (err as { type?: unknown }).type === 'string';
}

const TRANSIENT: readonly string[] = [ErrorType.UNAVAILABLE, ErrorType.DEADLINE_EXCEEDED, ErrorType.NOT_LEADER, ErrorType.TIMEOUT];

/** Failures a subscription should resubscribe after: the server or leader went away. */
export function isTransientError(err: unknown): boolean {
  if (err instanceof StoreUnavailableError) return true;
  return isCommandError(err) && TRANSIENT.includes(err.type);
}
