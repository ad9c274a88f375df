import type { KeyObject } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { WitnessRecord } from '../witness/witness.port';
import { NO_EVENT, type AuditReport } from './audit-failure';
import { rowOf, type InspectedPage } from './inspected-page';
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
    // Room for as many streams as events (a ballot is often a stream of its own), up to about a
    // million (72 MB): past that the table grows as streams come, so that sparse positions cannot
    // make it reserve memory for streams that do not exist.
    expectedStreams: Math.min((await source.expectedEvents?.()) ?? 0, 1 << 20),
  });
  const dense = source.densePositions;
  let lastPosition = 0;
  for await (const page of source.pages()) {
    if (dense) lastPosition = checkDense(verifier, lastPosition, page);
    verifier.acceptPage(page);
    options.onProgress?.(verifier.eventsChecked);
    // A page is also the unit of interruption: Ctrl-C is handled between two pages.
    await yieldToEventLoop();
    if (signal?.aborted) return verifier.report(true);
  }
  if (dense) {
    const highest = await dense.highestIssued();
    if (highest !== undefined && highest > lastPosition) {
      verifier.failAt(
        'AUDIT.EVENTS_MISSING',
        NO_EVENT,
        `positions ${lastPosition + 1} to ${highest} were issued but are not in ${source.description}: the end of the history was cut off`,
      );
    }
  }
  for (const w of options.witnesses ?? []) verifier.checkWitness(w.records, w.description);
  return verifier.report(false);
}

/** Positions 1, 2, 3…: a hole means events were deleted. Returns the page's last position. */
function checkDense(verifier: Verifier, previous: number, page: InspectedPage): number {
  let expected = previous + 1;
  const numeric = page.numericPositions;
  for (let i = 0; i < page.count; i++) {
    const position = numeric ? numeric[i] : Number(page.positions[i]);
    if (position !== expected) {
      const row = rowOf(page, i);
      const where = { position: row.position, streamName: row.streamName, revision: row.revision, eventId: row.id };
      const what =
        position > expected ? `positions ${expected} to ${position - 1} are missing before` : `position ${position} is out of sequence at`;
      verifier.failAt(
        'AUDIT.EVENTS_MISSING',
        where,
        `${what} event ${where.eventId} (${where.streamName}@${where.revision}): events were deleted or moved`,
      );
    }
    expected = position + 1;
  }
  return expected - 1;
}
