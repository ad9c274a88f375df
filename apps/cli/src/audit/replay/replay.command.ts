import { HistoryFold } from '../history/history-fold';
import { passOver } from '../history/read-history';
import { EXIT } from '../shared/exit-codes';
import { parseOptions } from '../shared/parse-options';
import { runOverLog } from '../shared/run-command';
import { STORE_OPTIONS, storeChoice, UsageError } from '../shared/store-options';
import { parseAsOf } from './as-of';
import { replayedFunds, type ReplayReport } from './replay-report';

const OPTIONS = { ...STORE_OPTIONS, 'as-of': { type: 'string' }, help: { type: 'boolean' } } as const;

const USAGE = `Usage: cli audit replay [--as-of POSITION|ISO-TIME] [--store sqlite|postgres] [--sqlite-path FILE] [--database-url URL] [--schema NAME]
Folds the log from the first event with the domain's own evolve functions, up to and including
the event at POSITION, or every event recorded up to ISO-TIME (default: the whole log), and
prints each fund's phase and each pot's counted ballots, tally and allocation as they stood
then, as JSON on stdout. Allocations not yet published at that point are shown to the auditor
with "published": false. Exits 0, 130 when interrupted (Ctrl-C), 2 on bad options or a
position that is not in the log.
`;

const CATEGORIES = ['fund', 'proposal', 'ballot', 'allocation'];

export function replayCommand(args: string[]): Promise<number> {
  return runOverLog(
    'replay',
    USAGE,
    () => {
      const values = parseOptions(args, OPTIONS);
      const asOf = parseAsOf(values['as-of']);
      // A position may belong to a stream replay does not fold (a resident, a checkpoint), so
      // a replay to a position reads every category; otherwise it reads only what it folds.
      const categories = asOf.kind === 'position' ? undefined : CATEGORIES;
      return { help: values.help, store: storeChoice(values), asOf, asOfText: values['as-of'], categories };
    },
    async (log, run, { asOf, asOfText, categories }) => {
      const fold = new HistoryFold();
      const folded = new Set(CATEGORIES);
      let reached = false;
      const end = await passOver(
        log,
        (event) => {
          if (asOf.kind === 'time' && event.recordedAt > asOf.until) return false;
          if (folded.has(event.streamName.slice(0, event.streamName.indexOf('-')))) fold.apply(event);
          if (asOf.kind === 'position' && event.position === asOf.position) return !(reached = true);
        },
        { signal: run.signal, onProgress: run.onProgress, categories },
      );
      if (asOf.kind === 'position' && !reached && !end.interrupted)
        throw new UsageError(`--as-of ${asOf.position} is neither a position of this history nor an ISO time`);
      run.end();
      const report: ReplayReport = {
        asOf: asOfText ?? 'end',
        position: asOf.kind === 'position' && reached ? asOf.position : fold.position,
        eventsRead: end.events,
        interrupted: end.interrupted,
        funds: replayedFunds(fold),
      };
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return end.interrupted ? EXIT.interrupted : EXIT.ok;
    },
  );
}
