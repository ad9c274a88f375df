/**
 * `npm run -s cli -- projections rebuild [--check]`: rebuilds the read models from zero.
 *
 * The read models are derived: this folds the whole event log (the store EVENT_STORE names)
 * into a fresh file with the platform's projections and then replaces READ_MODEL_PATH with it,
 * atomically. It holds the read models' writer lock meanwhile, which a running API node holds
 * too: beside a live API it is refused (`STORE.LOCKED`, naming the API's process), and an API
 * started during a rebuild is refused likewise. `--check` builds the fresh copy beside the live
 * one and compares them table by table instead, replacing nothing and taking no lock (it runs
 * beside a live API): exit 0 when equal, 1 when they differ.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { loadConfig } from '@civic/config';
import { foldToEnd, ReadModelDatabase } from '@civic/projections';
import { PROJECTIONS } from '@civic/read-models';
import { holdWriterLocks, openEventStore } from '@civic/platform';
import { UsageError } from '../cli-error';
import { parseOptions } from '../parse-options';

/** The commands of this group, for the usage and the tests. */
export const COMMANDS = ['rebuild'] as const;
const USAGE = 'Usage: cli projections rebuild [--check]\n';

export async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'rebuild')
    throw new UsageError(command ? `Unknown projections command "${command}"` : 'Name a projections command', USAGE);
  let values;
  try {
    values = parseOptions(rest, { check: { type: 'boolean', default: false } });
  } catch (err) {
    throw err instanceof UsageError ? err.withUsage(USAGE) : err;
  }
  const config = loadConfig(process.env);
  const live = config.READ_MODEL_PATH;
  const fresh = `${live}.rebuild-${process.pid}`;
  // Only the read models are written here: the events are read, as any reader may beside the writer.
  const lock = values.check ? undefined : holdWriterLocks(config, 'projections rebuild', { eventStore: false });
  const store = await openEventStore(config).catch((err: unknown) => {
    lock?.release();
    throw err;
  });
  try {
    const readModels = ReadModelDatabase.open(fresh, PROJECTIONS);
    // A fresh file, removed unless complete: filled with no log or syncs, synced once at the end.
    readModels.beginBulkLoad();
    await foldToEnd(store, readModels);
    readModels.endBulkLoad();
    const position = readModels.checkpoint();
    const counts = tableCounts(readModels.db);
    readModels.close();
    if (values.check) {
      const differences = existsSync(live) ? compare(live, fresh) : ['the live read models do not exist'];
      rmSync(fresh, { force: true });
      process.stdout.write(
        `${JSON.stringify({ ok: differences.length === 0, readModelPath: live, rebuiltTo: position, tables: counts, differences })}\n`,
      );
      return differences.length === 0 ? 0 : 1;
    }
    for (const suffix of ['-wal', '-shm']) rmSync(live + suffix, { force: true });
    renameSync(fresh, live);
    process.stdout.write(`${JSON.stringify({ ok: true, readModelPath: live, rebuiltTo: position, tables: counts })}\n`);
    return 0;
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(fresh + suffix, { force: true });
    await store.close();
    lock?.release();
  }
}

function tableCounts(db: Database.Database): Record<string, number> {
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' ORDER BY name`)
    .all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

/** Table-by-table differences between two read-model files (the checkpoint row included). */
function compare(livePath: string, freshPath: string): string[] {
  const a = new Database(livePath, { readonly: true });
  const b = new Database(freshPath, { readonly: true });
  try {
    const differences: string[] = [];
    for (const name of Object.keys(tableCounts(b))) {
      const dump = (db: Database.Database) => JSON.stringify(db.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all());
      if (dump(a) !== dump(b)) differences.push(`table ${name} differs`);
    }
    return differences;
  } finally {
    a.close();
    b.close();
  }
}
