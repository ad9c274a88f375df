import type { RecordedEvent } from '@civic/event-store';
import type { Projection } from './projection';
import type { ReadModelDatabase } from './read-model-database';

/**
 * Folds a batch of events into every projection of the read models and moves their checkpoint,
 * in one transaction: the live runner and time travel fold with this same function, so a read
 * model rebuilt at an earlier position is what the live one was there.
 */
export function batchFolder(readModels: ReadModelDatabase): (events: readonly RecordedEvent[]) => void {
  const fold = readModels.db.transaction(untransactedFolder(readModels));
  return (events) => {
    fold(events);
    readModels.committed(events.length);
  };
}

/**
 * {@link batchFolder}'s fold without its transaction, for a caller that holds one over many
 * batches (a rebuild: a savepoint per batch copies every page it touches that the transaction
 * already changed, about a tenth of a rebuild). The caller's transaction must move the rows
 * and the checkpoint together, as batchFolder's does.
 */
export function untransactedFolder(readModels: ReadModelDatabase): (events: readonly RecordedEvent[]) => void {
  const projections = readModels.projectionList.map((p) => ({ p, types: p.eventTypes ? new Set(p.eventTypes) : undefined }));
  const batched = projections.filter(({ p }) => p.applyBatch);
  const single = projections.filter(({ p }) => !p.applyBatch);
  // The projections (folding event by event) that read a type, in their order: one lookup an
  // event, not one per projection and event.
  const singlesOf = new Map<string, readonly Projection[]>();
  const singlesFor = (type: string): readonly Projection[] => {
    let list = singlesOf.get(type);
    if (!list) singlesOf.set(type, (list = single.filter(({ types }) => !types || types.has(type)).map(({ p }) => p)));
    return list;
  };
  return (events: readonly RecordedEvent[]) => {
    const batchTypes = new Set<string>();
    for (const e of events) batchTypes.add(e.type);
    // Counted before the rows move: a reader keeping rows by the count never keeps a stale one
    // (a batch rolled back has counted once more than needed, which only costs a read).
    for (const { p, types } of projections) if (!types || readsAny(types, batchTypes)) readModels.noteChange(p.name);
    for (const event of events) for (const p of singlesFor(event.type)) p.apply(readModels.db, event);
    // Projections read only their own tables, so one folding its batch after the others' events ends the same.
    for (const { p, types } of batched) {
      const mine = types ? events.filter((e) => types.has(e.type)) : events;
      if (mine.length > 0) p.applyBatch!(readModels.db, mine);
    }
    readModels.setCheckpoint(events[events.length - 1].position, events.length);
  };
}

function readsAny(types: ReadonlySet<string>, batchTypes: ReadonlySet<string>): boolean {
  for (const type of batchTypes) if (types.has(type)) return true;
  return false;
}
