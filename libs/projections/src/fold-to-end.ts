import type { EventStore } from '@civic/event-store';
import { untransactedFolder } from './fold';
import type { ReadModelDatabase } from './read-model-database';

export interface FoldToEndOptions {
  /**
   * Events read and folded at once. Small pages keep each page's events in V8's young
   * generation, collected cheaply, where pages of 10,000 were promoted and cost a fifth of a
   * rebuild in garbage collection. @defaultValue 1000
   */
  readonly pageSize?: number;
  /** Events folded per transaction (whole pages). @defaultValue 100 000 */
  readonly eventsPerTransaction?: number;
  /** Called after each page is folded, with the number of events folded so far. */
  readonly onProgress?: (folded: number) => void;
}

/**
 * Folds the log from the read models' checkpoint to its end, a page of events at a time, with
 * the fold the live runner and time travel use (batchFolder's, {@link untransactedFolder}), so
 * the read models end as the live ones would. What a rebuild from zero runs: no subscription, no promise or wake-up per
 * event (the runner waits for each event as it may come live), and transactions of many pages,
 * so that the indexes' pages the fold keeps returning to are written out once a transaction, not
 * once a page. Returns the number of events folded.
 */
export async function foldToEnd(store: EventStore, readModels: ReadModelDatabase, options: FoldToEndOptions = {}): Promise<number> {
  const fold = untransactedFolder(readModels);
  const { db } = readModels;
  const pageSize = options.pageSize ?? 1000;
  const perTransaction = options.eventsPerTransaction ?? 100_000;
  let after = readModels.checkpoint();
  let folded = 0;
  let inTransaction = 0;
  try {
    for (;;) {
      const page = await store.readAll({ after, maxCount: pageSize });
      if (page.length === 0) break;
      if (!db.inTransaction) db.exec('BEGIN');
      fold(page); // inside the transaction begun here, which a failure rolls back whole
      folded += page.length;
      inTransaction += page.length;
      after = page[page.length - 1].position;
      if (inTransaction >= perTransaction) {
        db.exec('COMMIT');
        inTransaction = 0;
      }
      options.onProgress?.(folded);
    }
    if (db.inTransaction) db.exec('COMMIT');
    return folded;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}
