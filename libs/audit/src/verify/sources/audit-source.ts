import type { InspectedPage } from '../inspected-page';

/** Where `verify` reads a history from: any event store, or a faster adapter-specific reader. */
export interface AuditSource {
  /** For messages: the file or schema read. */
  readonly description: string;
  /** The `eventCount` of every checkpoint, read before the main pass (checkpoints come after the events they cover). */
  checkpointCounts(): Promise<number[]>;
  /** How many events there are, for progress; undefined when the store cannot tell cheaply. */
  total(): Promise<number | undefined>;
  /** About how many events there are, cheaply (an upper bound is fine), so that tables are sized once; undefined if unknown. */
  expectedEvents?(): Promise<number | undefined>;
  /** The whole global order, in pages, each inspected (hashes recomputed) in this thread or in workers. */
  pages(): AsyncIterable<InspectedPage>;
  /**
   * Stores whose positions are consecutive integers from 1 with a record of the highest ever
   * issued (SQLite's AUTOINCREMENT and `sqlite_sequence`) can show a hole or a cut tail directly.
   */
  readonly densePositions?: { highestIssued(): Promise<number | undefined> };
  close(): Promise<void>;
}
