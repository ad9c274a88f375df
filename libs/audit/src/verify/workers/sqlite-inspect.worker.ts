/**
 * A worker of SqliteAuditSource: reads ranges of positions from its own read-only connection
 * and returns them inspected (parsed, canonicalised, hashed). The ordered checks stay in the
 * main thread, which only receives hashes, names and flags.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { InspectedPage } from '../inspected-page';
import { inspectRange, SELECT_RANGE } from '../sources/sqlite-rows';

/** A page as a worker sends it: positions as numbers, no ids or stream names. */
export interface WorkerPage extends InspectedPage {
  readonly numericPositions: Float64Array;
}

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
  const page = inspectRange(statement, job.from, job.to);
  // Numbers only: the main thread looks up the names of the few events it reports.
  const positions = new Float64Array(page.count);
  for (let i = 0; i < page.count; i++) positions[i] = Number(page.positions[i]);
  const sent: WorkerPage = { ...page, positions: [], ids: [], streamNames: [], numericPositions: positions };
  // A range with no rows (a hole in the positions) has nothing worth transferring.
  const transfer =
    page.count === 0
      ? []
      : [page.hashes.buffer, page.leaves.buffer, page.revisions.buffer, page.streamKeys.buffer, page.flags.buffer, positions.buffer];
  parentPort!.postMessage({ id: job.id, page: sent }, transfer as ArrayBuffer[]);
});
