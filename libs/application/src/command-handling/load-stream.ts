import type { Decider, DomainEvent } from '@civic/domain';
import type { EventStore } from '@civic/event-store';
import { toDomainEvent } from './stored-events';

/** A stream's state and the revision of its last event (`-1`: no stream yet). */
export interface Loaded<S> {
  readonly state: S;
  readonly revision: number;
}

/**
 * Reads a stream and folds it: from its first event (or its last `decider.foldsLast`), or from
 * after `known`, an earlier load of the same stream (streams only grow, and a fold is a pure
 * function of the events).
 */
export const loadStream = async <S, E extends DomainEvent>(
  store: EventStore,
  streamName: string,
  decider: Pick<Decider<never, E, S, never>, 'initialState' | 'evolve' | 'foldsLast'>,
  known?: Loaded<S>,
): Promise<Loaded<S>> => {
  const recorded =
    known && known.revision >= 0
      ? await store.readStream(streamName, { fromRevision: known.revision + 1 })
      : decider.foldsLast !== undefined
        ? (await store.readStream(streamName, { direction: 'backwards', maxCount: decider.foldsLast })).reverse()
        : await store.readStream(streamName);
  if (known && recorded.length === 0) return known;
  const state = recorded.reduce((s, r) => decider.evolve(s, toDomainEvent<E>(r)), known ? known.state : decider.initialState());
  return { state, revision: recorded.length === 0 ? -1 : recorded[recorded.length - 1].revision };
};
