import type { EventStore } from '@civic/event-store';
import { batchFolder } from '../fold';
import type { Projection } from '../projection';
import { ReadModelDatabase } from '../read-model-database';

/**
 * New in-memory read models of `projections`, folded from the start of the store's log up to
 * `events` events, `page` events a transaction, without snapshots: what any shortcut to a point
 * of the history must equal.
 */
export async function foldedFromZero(
  store: EventStore,
  projections: readonly Projection[],
  events: number,
  page = 100,
): Promise<ReadModelDatabase> {
  const rm = ReadModelDatabase.open(':memory:', projections);
  const fold = batchFolder(rm);
  let after = rm.checkpoint();
  while (rm.eventCount() < events) {
    const read = await store.readAll({ after, maxCount: Math.min(page, events - rm.eventCount()) });
    if (read.length === 0) throw new Error(`the log holds fewer than ${events} events`);
    fold(read);
    after = read[read.length - 1].position;
  }
  return rm;
}
