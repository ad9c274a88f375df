import { EXIT } from './exit-codes';
import { openEventLog, type EventLog } from './event-log';
import { startLongRun, type LongRun } from './long-run';
import { UsageError, type StoreChoice } from './store-options';

/**
 * The frame of replay, recompute and export: bad options exit 2 with the usage; the log is
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
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n${usage}`);
    return EXIT.usage;
  }
  const run = await startLongRun(label, log, prepared.categories);
  try {
    return await pass(log, run, prepared);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return EXIT.usage;
  } finally {
    run.end();
    await log.close();
  }
}
