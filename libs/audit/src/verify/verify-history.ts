import type { KeyObject } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { WitnessRecord } from '../witness/witness.port';
import { NO_EVENT, type AuditReport } from './audit-failure';
import { inspectRow, type AuditRow } from './audit-row';
import type { AuditSource } from './sources/audit-source';
import { Verifier } from './verifier';

export interface VerifyOptions {
  readonly source: AuditSource;
  readonly publicKey?: KeyObject;
  /** Copies of the checkpoints kept outside the log: the store's own witness, an auditor's copy. */
  readonly witnesses?: readonly { readonly description: string; readonly records: readonly WitnessRecord[] }[];
  /** Stops the run between pages; the report then says `interrupted`. */
  readonly signal?: AbortSignal;
  /** Called after every page with the number of events checked so far. */
  readonly onProgress?: (eventsChecked: number) => void;
  /** @defaultValue 1000 */
  readonly maxFailures?: number;
}

/**
 * `audit verify` as a function: every stream's chain, every checkpoint's root and signature,
 * every witnessed checkpoint still in the log, and, where the store can tell, no position
 * missing. One pass in the global order; memory grows with the number of streams only.
 */
export async function verifyHistory(options: VerifyOptions): Promise<AuditReport> {
  const { source, signal } = options;
  const verifier = new Verifier({
    publicKey: options.publicKey,
    checkpointCounts: await source.checkpointCounts(),
    maxFailures: options.maxFailures,
  });
  const dense = source.densePositions;
  let last: AuditRow | undefined;
  for await (const page of source.pages()) {
    for (const row of page) {
      if (dense) checkDense(verifier, last, row);
      verifier.accept(row, inspectRow(row));
      last = row;
    }
    options.onProgress?.(verifier.eventsChecked);
    // A page is also the unit of interruption: Ctrl-C is handled between two pages.
    await yieldToEventLoop();
    if (signal?.aborted) return verifier.report(true);
  }
  if (dense) {
    const highest = await dense.highestIssued();
    const lastPosition = last ? Number(last.position) : 0;
    if (highest !== undefined && highest > lastPosition) {
      verifier.failAt('AUDIT.EVENTS_MISSING', NO_EVENT, `positions ${lastPosition + 1} to ${highest} were issued but are not in ${source.description}: the end of the history was cut off`);
    }
  }
  for (const w of options.witnesses ?? []) verifier.checkWitness(w.records, w.description);
  return verifier.report(false);
}

/** Positions 1, 2, 3…: a hole means events were deleted. */
function checkDense(verifier: Verifier, previous: AuditRow | undefined, row: AuditRow): void {
  const expected = previous ? Number(previous.position) + 1 : 1;
  const position = Number(row.position);
  if (position !== expected) {
    verifier.failAt(
      'AUDIT.EVENTS_MISSING',
      { position: row.position, streamName: row.streamName, revision: row.revision, eventId: row.id },
      `positions ${expected} to ${position - 1} are missing before event ${row.id} (${row.streamName}@${row.revision}): events were deleted`,
    );
  }
}
