import { closeSync, fsyncSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Position, Start } from '@civic/event-store';
import { BackgroundCheckpoint } from '@civic/event-store-sqlite';
import type { Projection } from './projection';
import { statement } from './statement-cache';

/**
 * The read models of one API node: a SQLite file of its own, derived from the event log and
 * rebuilt from it whenever it is missing or its projections' versions change. Each node keeps
 * its own, whichever event store is chosen, so API nodes stay stateless with respect to one
 * another. `synchronous = NORMAL`: a power cut may lose the last transactions, but never
 * splits a transaction, and the checkpoint lives in the same transaction as the data, so the
 * runner simply resumes from the last checkpoint that survived. The log of a file is copied into
 * it by a worker thread (see `BackgroundCheckpoint`), not by the connection that folds: a
 * register's import dirties pages all over the indexes keyed by resident, and copying them
 * blocked the event loop at every batch's commit.
 */
export class ReadModelDatabase {
  readonly db: Database.Database;
  /** Folded batches that reached each projection since this database was opened. */
  private readonly changes = new Map<string, number>();
  /** Started at the first batch committed through {@link committed}: none in memory or while a rebuild bulk-loads. */
  private checkpoints: BackgroundCheckpoint | undefined;

  private constructor(
    readonly path: string,
    private readonly projections: readonly Projection[],
    image?: Buffer,
  ) {
    this.db = image ? new Database(image) : new Database(path);
    if (image) return;
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('cache_size = -65536');
  }

  /** The projections' signature: their names and versions, stored in the file and compared at open. */
  static signature(projections: readonly Projection[]): string {
    return projections.map((p) => `${p.name}@${p.version}`).join(',');
  }

  /**
   * An in-memory, writable copy of a read-model file's bytes (a snapshot): undefined when it
   * was written by other projections or other versions of them, so it cannot be folded on.
   */
  static fromImage(image: Buffer, projections: readonly Projection[]): ReadModelDatabase | undefined {
    const rm = new ReadModelDatabase(':memory:', projections, image);
    if (rm.storedSignature() === ReadModelDatabase.signature(projections)) return rm;
    rm.close();
    return undefined;
  }

  /** Opens the file, rebuilding it empty when the set or versions of projections changed. */
  static open(path: string, projections: readonly Projection[]): ReadModelDatabase {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const signature = ReadModelDatabase.signature(projections);
    let rm = new ReadModelDatabase(path, projections);
    if (rm.storedSignature() !== signature) {
      rm.db.close();
      if (path !== ':memory:') for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
      rm = new ReadModelDatabase(path, projections);
      rm.db.transaction(() => {
        rm.db.exec(`CREATE TABLE read_model_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
        for (const p of projections) rm.db.exec(p.schema);
        rm.db
          .prepare(`INSERT INTO read_model_meta (key, value) VALUES ('signature', ?), ('checkpoint', 'start'), ('events', '0')`)
          .run(signature);
      })();
    }
    return rm;
  }

  /** The position of the last event folded into every read model, or `start`. */
  checkpoint(): Position | Start {
    const row = statement(this.db, `SELECT value FROM read_model_meta WHERE key = 'checkpoint'`).get() as { value: string };
    return row.value;
  }

  /** How many events have been folded in: the checkpoint's place in the history, counted from 1. */
  eventCount(): number {
    const row = statement(this.db, `SELECT value FROM read_model_meta WHERE key = 'events'`).get() as { value: string } | undefined;
    return Number(row?.value ?? 0);
  }

  /** Records that `folded` more events were folded in, the last at `position` (inside the fold's transaction). */
  setCheckpoint(position: Position, folded = 0): void {
    statement(this.db, `UPDATE read_model_meta SET value = ? WHERE key = 'checkpoint'`).run(position);
    if (folded > 0)
      statement(this.db, `INSERT OR REPLACE INTO read_model_meta (key, value) VALUES ('events', ?)`).run(
        String(this.eventCount() + folded),
      );
  }

  /**
   * How many folded batches have reached `projection`'s tables since this database was opened:
   * a reader may keep what it read of those tables for as long as the count stands. Only the
   * fold writes read models, so the count moves whenever their rows can.
   */
  changesOf(projection: string): number {
    return this.changes.get(projection) ?? 0;
  }

  /** Counts a batch that reaches `projection` (by the fold, inside the batch's transaction). */
  noteChange(projection: string): void {
    this.changes.set(projection, this.changesOf(projection) + 1);
  }

  /**
   * For a fresh file that is thrown away unless it is completed (a rebuild from zero): no
   * write-ahead log and no syncs while it is filled (each page is written once, not once to the
   * log and again to the file), and a cache that holds the indexes' pages the fold keeps
   * returning to. {@link endBulkLoad} puts back the settings every node runs with.
   */
  beginBulkLoad(): void {
    this.db.pragma('journal_mode = MEMORY');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('cache_size = -262144');
  }

  /** Back to the write-ahead log and its syncs after {@link beginBulkLoad}, with everything written synced to the file. */
  endBulkLoad(): void {
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('cache_size = -65536');
    if (this.path === ':memory:') return;
    const fd = openSync(this.path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * After a fold's transaction committed `events` events: the log is checkpointed by a worker
   * once about a page an event was committed (the pages of the indexes a batch dirties), so the
   * folding connection never checkpoints. Nothing for a database in memory.
   */
  committed(events: number): void {
    if (this.path === ':memory:' || !this.db.open || this.db.memory) return;
    this.checkpoints ??= new BackgroundCheckpoint(this.db, this.path);
    this.checkpoints.committedRows(events);
  }

  /** The file's size in bytes (pages × page size), what a copy of it costs in memory. */
  byteSize(): number {
    return (this.db.pragma('page_count', { simple: true }) as number) * (this.db.pragma('page_size', { simple: true }) as number);
  }

  get projectionList(): readonly Projection[] {
    return this.projections;
  }

  /** Closes the file; a checkpoint worker stops after the checkpoint under way, if any (the log stays valid until then). */
  close(): void {
    void this.checkpoints?.close();
    this.db.close();
  }

  private storedSignature(): string | undefined {
    const table = this.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'read_model_meta'`).get();
    if (!table) return undefined;
    const row = this.db.prepare(`SELECT value FROM read_model_meta WHERE key = 'signature'`).get() as { value: string } | undefined;
    return row?.value;
  }
}
