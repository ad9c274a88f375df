import { HistoryFold } from '../history/history-fold';
import { passOver } from '../history/read-history';
import { EXIT } from '../shared/exit-codes';
import { parseOptions } from '../../parse-options';
import { runOverLog } from '../shared/run-command';
import { Cut, parseAsOf } from '../shared/as-of';
import { STORE_OPTIONS, STORE_USAGE, storeChoice } from '../shared/store-options';
import { replayedFunds, type ReplayReport } from './replay-report';

const OPTIONS = { ...STORE_OPTIONS, 'as-of': { type: 'string' }, help: { type: 'boolean' } } as const;

const USAGE = `Usage: cli audit replay [--as-of POSITION|ISO-TIME] ${STORE_USAGE}
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
      const cut = new Cut(parseAsOf(values['as-of']));
      // A position may belong to a stream replay does not fold (a resident, a checkpoint), so
      // a replay to a position reads every category (the cut sees to it); otherwise it reads only what it folds.
      return { help: values.help, store: storeChoice(values), cut, asOfText: values['as-of'], categories: cut.categories(CATEGORIES) };
    },
    async (log, run, { cut, asOfText }) => {
      const fold = new HistoryFold();
      const folded = new Set(CATEGORIES);
      const end = await passOver(
        log,
        (event) => {
          if (folded.has(event.streamName.slice(0, event.streamName.indexOf('-')))) fold.apply(event);
        },
        { signal: run.signal, onProgress: run.onProgress, categories: CATEGORIES, asOf: cut },
      );
      if (!end.interrupted) cut.mustHaveMet();
      run.end();
      const report: ReplayReport = {
        asOf: asOfText ?? 'end',
        position: cut.asOf.kind === 'position' && !end.interrupted ? cut.asOf.position : fold.position,
        eventsRead: end.events,
        interrupted: end.interrupted,
        funds: replayedFunds(fold),
      };
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return end.interrupted ? EXIT.interrupted : EXIT.ok;
    },
  );
}
