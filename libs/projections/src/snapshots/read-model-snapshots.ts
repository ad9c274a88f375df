import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Projection } from '../projection';
import { ReadModelDatabase } from '../read-model-database';
import { overlayWrites } from './write-overlay';

const FILE = /^(\d{12})\.sqlite$/;
const APART = /^(\d{12})\.apart\.sqlite$/;
/** The schema an open snapshot's set-apart file is attached as. */
const APART_SCHEMA = 'snapshot_apart';

export interface ReadModelSnapshotsOptions {
  /**
   * Tables whose rows each snapshot keeps in a second file (`N.apart.sqlite`), read in place
   * rather than copied into memory, and written through an overlay (see {@link overlayWrites}):
   * the large ones, read for a few rows only by what folds on from a snapshot. A snapshot
   * records the tables it set apart (`apart` in its `read_model_meta`), so snapshots taken
   * before (whole, in one file) still load, their large tables overlaid in memory.
   */
  readonly apart?: readonly string[];
}

/**
 * Copies of read-model tables at positions of the history, one SQLite file each, named by how
 * many events they hold, in a folder named by the projections' signature: a new version of any
 * projection starts a new folder (the old ones are removed), so a snapshot always folds on
 * with the same code that made it. The rows of the tables set apart are in a second file per
 * snapshot, written before the first.
 */
export class ReadModelSnapshots {
  readonly dir: string;
  private counts: number[] = [];

  readonly apart: readonly string[];

  constructor(
    root: string,
    readonly projections: readonly Projection[],
    options: ReadModelSnapshotsOptions = {},
  ) {
    this.apart = options.apart ?? [];
    const signature = ReadModelDatabase.signature(projections);
    const folder = createHash('sha256').update(signature).digest('hex').slice(0, 16);
    mkdirSync(root, { recursive: true });
    for (const other of readdirSync(root)) if (other !== folder) rmSync(join(root, other), { recursive: true, force: true });
    this.dir = join(root, folder);
    mkdirSync(this.dir, { recursive: true });
    const names = new Set(readdirSync(this.dir));
    for (const name of names) {
      const first = FILE.exec(name);
      const second = APART.exec(name);
      if (first) this.counts.push(Number(first[1]));
      // A copy cut short, or the second file of a first one gone (one whose second file is gone is forgotten as it loads).
      else if (!(second && names.has(basename(this.file(Number(second[1])))))) rmSync(join(this.dir, name), { force: true });
    }
    this.counts.sort((a, b) => a - b);
  }

  /** How many events each snapshot holds, in order. */
  get eventCounts(): readonly number[] {
    return this.counts;
  }

  /** The latest snapshot holding at most `events` events. */
  nearest(events: number): number | undefined {
    let lo = 0;
    let hi = this.counts.length - 1;
    let found: number | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.counts[mid] <= events) {
        found = this.counts[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /**
   * A writable snapshot: an in-memory copy of its file, with the tables set apart read in place
   * from theirs under an in-memory overlay (the file is never written); undefined (and the files
   * removed) when it cannot be read.
   */
  async load(events: number): Promise<ReadModelDatabase | undefined> {
    let rm: ReadModelDatabase | undefined;
    try {
      rm = ReadModelDatabase.fromImage(await readFile(this.file(events)), this.projections);
      if (rm && rm.eventCount() === events && this.attachApart(rm, events)) return rm;
    } catch {
      // A torn or missing file: forget it; an earlier snapshot, or the log, answers instead.
    }
    rm?.close();
    this.drop(events);
    return undefined;
  }

  file(events: number): string {
    return join(this.dir, `${String(events).padStart(12, '0')}.sqlite`);
  }

  /** The file of the rows of the tables set apart. */
  apartFile(events: number): string {
    return join(this.dir, `${String(events).padStart(12, '0')}.apart.sqlite`);
  }

  /** Records a snapshot written into the folder. */
  added(events: number): void {
    if (this.counts.includes(events)) return;
    this.counts.push(events);
    this.counts.sort((a, b) => a - b);
  }

  drop(events: number): void {
    this.counts = this.counts.filter((n) => n !== events);
    rmSync(this.file(events), { force: true });
    rmSync(this.apartFile(events), { force: true });
  }

  /** Removes every snapshot (the live read models were rebuilt from zero: the history may be another one). */
  clear(): void {
    for (const n of [...this.counts]) this.drop(n);
  }

  /**
   * True once the tables the snapshot set apart read from their file, which holds the same point
   * of the same history, and every large table (set apart or not) is written through an overlay.
   */
  private attachApart(rm: ReadModelDatabase, events: number): boolean {
    const declared = rm.db.prepare(`SELECT value FROM read_model_meta WHERE key = 'apart'`).pluck().get() as string | undefined;
    const apart = declared ? declared.split(',') : [];
    if (apart.length > 0) {
      if (!existsSync(this.apartFile(events))) return false;
      rm.db.prepare(`ATTACH ? AS ${APART_SCHEMA}`).run(this.apartFile(events));
      const meta = (schema: string) =>
        JSON.stringify(rm.db.prepare(`SELECT key, value FROM ${schema}.read_model_meta ORDER BY key`).raw().all());
      if (meta(APART_SCHEMA) !== meta('main')) return false;
      // Of the files' layout, not of the read models (the copy in memory now holds what the live ones would).
      rm.db.prepare(`DELETE FROM main.read_model_meta WHERE key = 'apart'`).run();
    }
    for (const table of new Set([...apart, ...this.apart])) overlayWrites(rm.db, table, apart.includes(table) ? APART_SCHEMA : 'main');
    return true;
  }
}
