import { EXIT } from './exit-codes';
import { openEventLog, type EventLog } from './event-log';
import { startLongRun, type LongRun } from './long-run';
import { UsageError, type StoreChoice } from './store-options';

/**
 * The frame of replay, recompute and export: bad options are a `UsageError` carrying the
 * usage (the CLI's one failure path prints it and exits 2); the log is
 * opened, the pass runs with progress and Ctrl-C handling, and the log is closed whatever
 * happens. `prepare` checks every option before the log is opened (and may name the stream
 * categories the pass reads, for the progress total); `pass` returns the exit code.
 */
export async function runOverLog<P extends { help?: boolean; store: StoreChoice; categories?: readonly string[] }>(
  label: string,
  usage: string,
  prepare: () => P,
  pass: (log: EventLog, run: LongRun, prepared: P) => Promise<number>,
): Promise<number> {
  let prepared: P;
  let log: EventLog;
  try {
    prepared = prepare();
    if (prepared.help) {
      process.stderr.write(usage);
      return EXIT.ok;
    }
    log = await openEventLog(prepared.store);
  } catch (err) {
    throw err instanceof UsageError ? err.withUsage(usage) : err;
  }
  const run = await startLongRun(label, log, prepared.categories);
  try {
    return await pass(log, run, prepared);
  } finally {
    run.end();
    await log.close();
  }
}
