import type { DomainEvent } from '@civic/domain';
import { START, type EventStore, type Position, type RecordedEvent } from '@civic/event-store';
import { toDomainEvent } from '../command-handling/stored-events';

const PAGE = 1000;

/** Every event of some stream categories (of some types only, if given; after `from`, if given), in global order, page by page. */
export async function* readCategories(
  store: EventStore,
  streamCategories: readonly string[],
  eventTypes?: readonly string[],
  from: Position = START,
): AsyncGenerator<RecordedEvent> {
  let after: Position = from;
  for (;;) {
    const page = await store.readAll({
      after,
      maxCount: PAGE,
      filter: eventTypes ? { streamCategories, eventTypes } : { streamCategories },
    });
    yield* page;
    if (page.length < PAGE) return;
    after = page[page.length - 1].position;
  }
}

/** Folds every stream of a category into its state, by stream name. */
export const foldCategory = async <S, E extends DomainEvent>(
  store: EventStore,
  category: string,
  initialState: () => S,
  evolve: (state: S, event: E) => S,
): Promise<Map<string, S>> => {
  const states = new Map<string, S>();
  for await (const recorded of readCategories(store, [category])) {
    states.set(recorded.streamName, evolve(states.get(recorded.streamName) ?? initialState(), toDomainEvent<E>(recorded)));
  }
  return states;
};
