import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { passOver, type PassOptions } from '../history/read-history';
import { Cut, type AsOf } from '../shared/as-of';
import type { EventLog } from '../shared/event-log';
import { fundPhases } from './fund-phases';
import { emptyTally, publicEvent, type PrivacyTally } from './public-event';

/** A pass of an export: the history up to `asOf` (each of the export's passes makes its own cut). */
export type ExportPassOptions = Omit<PassOptions, 'asOf'> & { readonly asOf: AsOf };

export interface ExportSummary {
  readonly events: number;
  readonly interrupted: boolean;
  readonly privacy: PrivacyTally;
}

/**
 * Every event (up to `asOf`), one JSON object a line, through {@link publicEvent}. Writes wait
 * for the stream to drain, so a slow disk or pipe slows the reading rather than filling memory.
 * The output is opened only once the cut is known to be in the log (a first pass finds it).
 */
export async function exportJsonl(
  log: EventLog,
  open: () => Writable,
  auditor: boolean,
  options: ExportPassOptions,
): Promise<ExportSummary & { out: Writable }> {
  const phases = await fundPhases(log, options);
  const out = open();
  const privacy = emptyTally();
  let buffer: string[] = [];
  const flush = async () => {
    if (buffer.length === 0) return;
    const text = buffer.join('');
    buffer = [];
    if (!out.write(text)) await once(out, 'drain');
  };
  const end = await passOver(
    log,
    (event) => {
      buffer.push(`${JSON.stringify(publicEvent(event, { viewer: auditor ? 'auditor' : 'anonymous', phases }, privacy))}\n`);
    },
    { ...options, afterPage: flush, asOf: new Cut(options.asOf) },
  );
  await flush();
  return { events: end.events, interrupted: end.interrupted, privacy, out };
}
