import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { WitnessPort, WitnessRecord } from './witness.port';

/** The witness file the Checkpointer keeps next to a SQLite event store by default. */
export function defaultWitnessPath(sqlitePath: string): string {
  return `${sqlitePath}.witness.jsonl`;
}

/**
 * A JSON-lines file, one checkpoint a line, appended and fsynced before the Checkpointer
 * moves on. A torn last line (a crash mid-write) is ignored on reading: the checkpoint it
 * held is still in the log and is witnessed again on restart.
 */
export class FileWitness implements WitnessPort {
  constructor(readonly path: string) {}

  async record(record: WitnessRecord): Promise<void> {
    const fd = openSync(this.path, 'a');
    try {
      writeSync(fd, `${JSON.stringify(record)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  async readAll(): Promise<WitnessRecord[]> {
    if (!existsSync(this.path)) return [];
    const lines = readFileSync(this.path, 'utf8').split('\n');
    const complete = lines.slice(0, -1); // the part after the last newline is empty or torn
    return complete.filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as WitnessRecord);
  }
}
