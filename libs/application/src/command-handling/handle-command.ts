import { DomainError, type Command, type Decider, type DomainEvent } from '@civic/domain';
import { WrongExpectedVersionError, type EventStore, type Position } from '@civic/event-store';
import { loadStream } from './load-stream';
import { toEventData } from './stored-events';

/** Options of the command loop. */
export interface HandlerOptions {
  /**
   * How many times to load, decide and append before giving up on a stream that keeps
   * changing under us (each conflict means another writer won; we decide again on its result).
   * @defaultValue 5
   */
  readonly maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

/** What a handled command did. A receipt for a ballot is its stream, revision and position. */
export interface CommandResult {
  readonly streamName: string;
  readonly events: readonly DomainEvent[];
  /** True when the stream had already handled this command id: nothing was written now. */
  readonly alreadyHandled: boolean;
  /** The revision of the stream's last event after the command (`-1`: no stream). */
  readonly revision: number;
  /** The global position of the last event written, when something was. */
  readonly position?: Position;
}

export interface HandleRequest<C extends Command, E extends DomainEvent, S, X> {
  readonly streamName: string;
  readonly decider: Decider<C, E, S, X>;
  readonly command: C;
  /** Loads what the decision needs from other streams, given this stream's state. */
  readonly context: (state: S) => Promise<X> | X;
}

/**
 * Load, decide, append with the expected revision; on a conflict, do it again on the new
 * state, a bounded number of times. A rejection (`DomainError`) writes nothing. Event ids
 * derive from the command id, so a retried append is written once by the store.
 */
export const handleCommand = async <C extends Command, E extends DomainEvent, S, X>(
  store: EventStore,
  request: HandleRequest<C, E, S, X>,
  options: HandlerOptions = {},
): Promise<CommandResult> => {
  const { streamName, decider, command } = request;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    const { state, revision } = await loadStream(store, streamName, decider);
    const events = decider.decide(command, state, await request.context(state));
    if (events.length === 0) return { streamName, events, alreadyHandled: true, revision };
    try {
      const expectedRevision = revision < 0 ? 'no_stream' : revision;
      const result = await store.append(streamName, events.map(toEventData), { expectedRevision });
      return { streamName, events, alreadyHandled: false, revision: result.nextExpectedRevision, position: result.position };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      if (attempt >= maxAttempts) {
        throw new DomainError('COMMAND.CONFLICT', 'Too many others changed the same record at once; please try again.');
      }
    }
  }
};
