import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@civic/event-store';

/**
 * A read model: tables in the read-model database and a function that folds events into
 * them. `apply` runs inside the runner's transaction, which also stores the checkpoint, so
 * a read model never counts an event twice or misses one, whatever crashes.
 */
export interface Projection {
  /** Stable name, used for its tables' prefix and in logs. */
  readonly name: string;
  /** Bump when the tables or the folding change: the read models are then rebuilt from zero. */
  readonly version: number;
  /** DDL creating the projection's tables (run once, on an empty read-model database). */
  readonly schema: string;
  /** Event types it reads; others never reach `apply`. @defaultValue every type */
  readonly eventTypes?: readonly string[];
  apply(db: Database.Database, event: RecordedEvent): void;
  /**
   * Folds several events (in order, all of `eventTypes`) at once, leaving exactly the tables
   * `apply` would leave event by event; used instead of `apply` when given. For a projection
   * whose events are many and whose rows each take several statements (the tallies), so that
   * the live fold and time travel's replay write each row once a batch.
   */
  applyBatch?(db: Database.Database, events: readonly RecordedEvent[]): void;
}
