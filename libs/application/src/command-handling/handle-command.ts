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
  /**
   * The revision of the last event the command wrote; on a retry, of the last event its first
   * call wrote, so a retry answers as the first call did (`-1`: no stream). When a decision
   * wrote nothing at all, the stream's revision.
   */
  readonly revision: number;
  /** The global position of the last event the command wrote (now, or by its first call), when it wrote one. */
  readonly position?: Position;
  /** The id the handler gave the new record the client did not name (see `ChosenByServer`). */
  readonly chosenId?: string;
}

export interface HandleRequest<C extends Command, E extends DomainEvent, S, X> {
  readonly streamName: string;
  readonly decider: Decider<C, E, S, X>;
  readonly command: C;
  /** Loads what the decision needs from other streams, given this stream's state. */
  readonly context: (state: S) => Promise<X> | X;
  /**
   * The revision of the stream the client read and edits (`CommandInput.expectedRevision`).
   * When given, the append is made at exactly this revision and a conflict is never decided
   * again: it is `EDIT.STALE_REVISION`, since deciding on a state the client has not seen
   * would overwrite what another writer did in between.
   * @defaultValue none: the revision just loaded, decided again on a conflict
   */
  readonly expectedRevision?: number;
}

const stale = (actual: number, expected: number) =>
  new DomainError('EDIT.STALE_REVISION', `This record changed since you read it (revision ${actual}, not ${expected}): read it again.`);

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
  const { streamName, decider, command, expectedRevision: clientRevision } = request;
  const maxAttempts = clientRevision === undefined ? (options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS) : 1;
  for (let attempt = 1; ; attempt++) {
    const { state, revision } = await loadStream(store, streamName, decider);
    // A stream that moved past the client's revision is stale, unless this command is what
    // moved it (a retry: the decider answers it with no events, as the first call did).
    const moved = clientRevision !== undefined && revision >= 0 && revision !== clientRevision;
    let events: E[];
    try {
      events = decider.decide(command, state, await request.context(state));
    } catch (error) {
      throw moved ? stale(revision, clientRevision) : error;
    }
    if (events.length === 0)
      return { streamName, events, alreadyHandled: true, revision, ...(await firstCall(store, streamName, command, decider.foldsLast)) };
    if (moved) throw stale(revision, clientRevision);
    try {
      const expectedRevision = clientRevision ?? (revision < 0 ? 'no_stream' : revision);
      const result = await store.append(streamName, events.map(toEventData), { expectedRevision });
      return { streamName, events, alreadyHandled: false, revision: result.nextExpectedRevision, position: result.position };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      // Another writer got in between our load and our append.
      if (clientRevision !== undefined) throw stale(error.actual === 'no_stream' ? -1 : Number(error.actual), clientRevision);
      if (attempt >= maxAttempts) {
        throw new DomainError('COMMAND.CONFLICT', 'Too many others changed the same record at once; please try again.');
      }
    }
  }
};

/**
 * Where the first call of a retried command left its last event: found by the command id in
 * its metadata, newest first (a retry comes soon after, and a stream remembers recent commands
 * only), among the events its decider folds. Nothing when the decision simply had nothing to do.
 */
const firstCall = async (
  store: EventStore,
  streamName: string,
  command: Command,
  maxCount: number | undefined,
): Promise<{ revision: number; position: Position } | undefined> => {
  const recorded = await store.readStream(streamName, { direction: 'backwards', ...(maxCount !== undefined && { maxCount }) });
  const last = recorded.find((e) => e.metadata.commandId === command.metadata.commandId);
  return last && { revision: last.revision, position: last.position };
};
