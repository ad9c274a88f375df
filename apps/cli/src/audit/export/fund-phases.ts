import type { Phase } from '@civic/domain';
import { HistoryFold } from '../history/history-fold';
import { passOver } from '../history/read-history';
import { Cut, type AsOf } from '../shared/as-of';
import type { EventLog } from '../shared/event-log';

/** The phases whose embargo applies to a fund's data; none for a fund not (yet) in the history. */
export type FundPhases = (fundId: string) => readonly Phase[];

/**
 * Each fund's phase as of the cut and at the end of the log (small passes over fund streams):
 * an export cut before `ResultsPublished` shows what that phase allowed, never more, and never
 * more than the fund's phase now allows (the embargo table's rule for time travel).
 */
export async function fundPhases(log: EventLog, options: { readonly asOf: AsOf; readonly signal?: AbortSignal }): Promise<FundPhases> {
  const at = async (asOf: AsOf) => {
    const fold = new HistoryFold();
    const cut = new Cut(asOf);
    await passOver(log, (e) => void (e.streamName.startsWith('fund-') && fold.apply(e)), {
      signal: options.signal,
      categories: ['fund'],
      asOf: cut,
    });
    if (!options.signal?.aborted) cut.mustHaveMet();
    return fold;
  };
  const then = await at(options.asOf);
  const now = options.asOf.kind === 'end' ? then : await at({ kind: 'end' });
  return (fundId) => [then, now].flatMap((fold) => fold.fund(fundId)?.status ?? []);
}
