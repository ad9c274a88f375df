import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Position, Start } from '@civic/event-store';
import type { Projection } from './projection';
import { statement } from './statement-cache';

/**
 * The read models of one API node: a SQLite file of its own, derived from the event log and
 * rebuilt from it whenever it is missing or its projections' versions change. Each node keeps
 * its own, whichever event store is chosen, so API nodes stay stateless with respect to one
 * another. `synchronous = NORMAL`: a power cut may lose the last transactions, but never
 * splits a transaction, and the checkpoint lives in the same transaction as the data, so the
 * runner simply resumes from the last checkpoint that survived.
 */
export class ReadModelDatabase {
  readonly db: Database.Database;

  private constructor(
    readonly path: string,
    private readonly projections: readonly Projection[],
  ) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('cache_size = -65536');
  }

  /** Opens the file, rebuilding it empty when the set or versions of projections changed. */
  static open(path: string, projections: readonly Projection[]): ReadModelDatabase {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const signature = projections.map((p) => `${p.name}@${p.version}`).join(',');
    let rm = new ReadModelDatabase(path, projections);
    if (rm.storedSignature() !== signature) {
      rm.db.close();
      if (path !== ':memory:') for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
      rm = new ReadModelDatabase(path, projections);
      rm.db.transaction(() => {
        rm.db.exec(`CREATE TABLE read_model_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
        for (const p of projections) rm.db.exec(p.schema);
        rm.db.prepare(`INSERT INTO read_model_meta (key, value) VALUES ('signature', ?), ('checkpoint', 'start')`).run(signature);
      })();
    }
    return rm;
  }

  /** The position of the last event folded into every read model, or `start`. */
  checkpoint(): Position | Start {
    const row = statement(this.db, `SELECT value FROM read_model_meta WHERE key = 'checkpoint'`).get() as { value: string };
    return row.value;
  }

  setCheckpoint(position: Position): void {
    statement(this.db, `UPDATE read_model_meta SET value = ? WHERE key = 'checkpoint'`).run(position);
  }

  get projectionList(): readonly Projection[] {
    return this.projections;
  }

  close(): void {
    this.db.close();
  }

  private storedSignature(): string | undefined {
    const table = this.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'read_model_meta'`).get();
    if (!table) return undefined;
    const row = this.db.prepare(`SELECT value FROM read_model_meta WHERE key = 'signature'`).get() as { value: string } | undefined;
    return row?.value;
  }
}
