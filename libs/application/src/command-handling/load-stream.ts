import type { Decider, DomainEvent } from '@civic/domain';
import type { EventStore } from '@civic/event-store';
import { toDomainEvent } from './stored-events';

/** A stream's state and the revision of its last event (`-1`: no stream yet). */
export interface Loaded<S> {
  readonly state: S;
  readonly revision: number;
}

/** Reads a stream from its first event and folds it. */
export const loadStream = async <S, E extends DomainEvent>(
  store: EventStore,
  streamName: string,
  decider: Pick<Decider<never, E, S, never>, 'initialState' | 'evolve'>,
): Promise<Loaded<S>> => {
  const recorded = await store.readStream(streamName);
  const state = recorded.reduce((s, r) => decider.evolve(s, toDomainEvent<E>(r)), decider.initialState());
  return { state, revision: recorded.length === 0 ? -1 : recorded[recorded.length - 1].revision };
};
