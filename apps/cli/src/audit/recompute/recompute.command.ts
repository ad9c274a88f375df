import { EXIT } from '../shared/exit-codes';
import { parseOptions } from '../../parse-options';
import { runOverLog } from '../shared/run-command';
import { STORE_OPTIONS, STORE_USAGE, storeChoice } from '../shared/store-options';
import { recomputeHistory } from './recompute-history';

const OPTIONS = { ...STORE_OPTIONS, help: { type: 'boolean' } } as const;

const USAGE = `Usage: cli audit recompute ${STORE_USAGE}
Re-runs every recorded allocation from the ballots in the log, as they stood when it was
recorded, and compares the input digest, every line (funded, amount) and the total with the
record. Overrides made after the recording are listed, not counted as mismatches. Prints a
JSON report on stdout; exits 0 when everything matches, 1 on any mismatch, 130 when
interrupted (Ctrl-C), 2 on bad options.
`;

/** Only these streams feed an allocation; residents and deliveries are not read at all. */
const CATEGORIES = ['fund', 'proposal', 'ballot', 'allocation'];

export function recomputeCommand(args: string[]): Promise<number> {
  return runOverLog(
    'recompute',
    USAGE,
    () => {
      const values = parseOptions(args, OPTIONS);
      return { help: values.help, store: storeChoice(values), categories: CATEGORIES };
    },
    async (log, run) => {
      const report = await recomputeHistory(log, { signal: run.signal, onProgress: run.onProgress, categories: CATEGORIES });
      run.end();
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      if (report.interrupted) return EXIT.interrupted;
      return report.ok ? EXIT.ok : EXIT.failed;
    },
  );
}
