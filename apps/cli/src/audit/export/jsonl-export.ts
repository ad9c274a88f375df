import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { passOver, type PassOptions } from '../history/read-history';
import { Cut, type AsOf } from '../shared/as-of';
import type { EventLog } from '../shared/event-log';
import { emptyTally, publicEvent, type PrivacyTally } from './public-event';

const PUBLISHED = new Set(['results_published', 'delivery', 'closed']);

/** A pass of an export: the history up to `asOf` (each of the export's passes makes its own cut). */
export type ExportPassOptions = Omit<PassOptions, 'asOf'> & { readonly asOf: AsOf };

export interface ExportSummary {
  readonly events: number;
  readonly interrupted: boolean;
  readonly privacy: PrivacyTally;
}

/** The funds whose results are published by the end of the log (or of the cut): a first, small pass over fund streams. */
export async function publishedFunds(log: EventLog, options: ExportPassOptions): Promise<Set<string>> {
  const cut = new Cut(options.asOf);
  const phase = new Map<string, string>();
  const byType: Record<string, string> = { ResultsPublished: 'results_published', DeliveryStarted: 'delivery', FundClosed: 'closed' };
  await passOver(
    log,
    (e) => {
      const next = byType[e.type];
      if (next) phase.set(String((e.data as { fundId?: string }).fundId), next);
    },
    { signal: options.signal, categories: ['fund'], asOf: cut },
  );
  if (!options.signal?.aborted) cut.mustHaveMet();
  return new Set([...phase].filter(([, p]) => PUBLISHED.has(p)).map(([fundId]) => fundId));
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
  const published = await publishedFunds(log, options);
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
      buffer.push(`${JSON.stringify(publicEvent(event, { publishedFunds: published, auditor }, privacy))}\n`);
    },
    { ...options, afterPage: flush, asOf: new Cut(options.asOf) },
  );
  await flush();
  return { events: end.events, interrupted: end.interrupted, privacy, out };
}
