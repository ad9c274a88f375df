/**
 * A worker of SqliteAuditSource: reads ranges of positions from its own read-only connection
 * and returns them inspected (parsed, canonicalised, hashed). The ordered checks stay in the
 * main thread, which only receives hashes, names and flags.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { inspectPage } from '../inspected-page';
import { readRange, SELECT_RANGE } from '../sources/sqlite-rows';

export interface InspectJob {
  readonly id: number;
  readonly from: number;
  readonly to: number;
}

const db = new Database((workerData as { path: string }).path, { readonly: true, fileMustExist: true });
const statement = db.prepare(SELECT_RANGE).raw();

parentPort!.on('message', (job: InspectJob | 'close') => {
  if (job === 'close') {
    db.close();
    parentPort!.close();
    return;
  }
  const page = inspectPage(readRange(statement, job.from, job.to));
  // A range with no rows (a hole in the positions) has nothing worth transferring.
  const transfer = page.count === 0 ? [] : ([page.hashes.buffer, page.leaves.buffer, page.revisions.buffer, page.flags.buffer] as ArrayBuffer[]);
  parentPort!.postMessage({ id: job.id, page }, transfer);
});
