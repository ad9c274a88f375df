import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Projection } from '../projection';
import { ReadModelDatabase } from '../read-model-database';

const FILE = /^(\d{12})\.sqlite$/;

/**
 * Copies of read-model tables at positions of the history, one SQLite file each, named by how
 * many events they hold, in a folder named by the projections' signature: a new version of any
 * projection starts a new folder (the old ones are removed), so a snapshot always folds on
 * with the same code that made it.
 */
export class ReadModelSnapshots {
  readonly dir: string;
  private counts: number[] = [];

  constructor(
    root: string,
    readonly projections: readonly Projection[],
  ) {
    const signature = ReadModelDatabase.signature(projections);
    const folder = createHash('sha256').update(signature).digest('hex').slice(0, 16);
    mkdirSync(root, { recursive: true });
    for (const other of readdirSync(root)) if (other !== folder) rmSync(join(root, other), { recursive: true, force: true });
    this.dir = join(root, folder);
    mkdirSync(this.dir, { recursive: true });
    for (const name of readdirSync(this.dir)) {
      const match = FILE.exec(name);
      if (match) this.counts.push(Number(match[1]));
      else rmSync(join(this.dir, name), { force: true }); // a copy cut short
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

  /** An in-memory, writable copy of a snapshot; undefined (and the file removed) when it cannot be read. */
  async load(events: number): Promise<ReadModelDatabase | undefined> {
    try {
      const rm = ReadModelDatabase.fromImage(await readFile(this.file(events)), this.projections);
      if (rm && rm.eventCount() === events) return rm;
      rm?.close();
    } catch {
      // A torn or missing file: forget it; an earlier snapshot, or the log, answers instead.
    }
    this.drop(events);
    return undefined;
  }

  file(events: number): string {
    return join(this.dir, `${String(events).padStart(12, '0')}.sqlite`);
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
  }

  /** Removes every snapshot (the live read models were rebuilt from zero: the history may be another one). */
  clear(): void {
    for (const n of this.counts) rmSync(this.file(n), { force: true });
    this.counts = [];
  }
}
