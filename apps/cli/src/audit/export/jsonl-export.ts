import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { passOver, type PassOptions } from '../history/read-history';
import type { EventLog } from '../shared/event-log';
import { emptyTally, publicEvent, type PrivacyTally } from './public-event';

const PUBLISHED = new Set(['results_published', 'delivery', 'closed']);

export interface ExportSummary {
  readonly events: number;
  readonly interrupted: boolean;
  readonly privacy: PrivacyTally;
}

/** The funds whose results are published by the end of the log: a first, small pass over fund streams. */
export async function publishedFunds(log: EventLog, options: PassOptions): Promise<Set<string>> {
  const phase = new Map<string, string>();
  const byType: Record<string, string> = { ResultsPublished: 'results_published', DeliveryStarted: 'delivery', FundClosed: 'closed' };
  await passOver(
    log,
    (e) => {
      const next = byType[e.type];
      if (next) phase.set(String((e.data as { fundId?: string }).fundId), next);
    },
    { signal: options.signal, categories: ['fund'] },
  );
  return new Set([...phase].filter(([, p]) => PUBLISHED.has(p)).map(([fundId]) => fundId));
}

/**
 * Every event, one JSON object a line, through {@link publicEvent}. Writes wait for the
 * stream to drain, so a slow disk or pipe slows the reading rather than filling memory.
 */
export async function exportJsonl(log: EventLog, out: Writable, auditor: boolean, options: PassOptions): Promise<ExportSummary> {
  const published = await publishedFunds(log, options);
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
    { ...options, afterPage: flush },
  );
  await flush();
  return { events: end.events, interrupted: end.interrupted, privacy };
}
