import type { EventLog } from './event-log';
import { progressOnStderr } from './progress';

/** What a long pass needs from the terminal: a signal that Ctrl-C aborts, and progress on stderr. */
export interface LongRun {
  readonly signal: AbortSignal;
  readonly onProgress: (events: number) => void;
  /** Stops the progress display and gives SIGINT back its default. */
  end(): void;
}

/**
 * Starts the progress display for a pass over `log` and catches SIGINT, so that the pass stops
 * between two pages and the command still prints what it found (exit 130), as `verify` does.
 */
export async function startLongRun(label: string, log: EventLog, categories?: readonly string[], every = 100_000): Promise<LongRun> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const progress = progressOnStderr(label, await log.total(categories), every);
  let ended = false;
  return {
    signal: controller.signal,
    onProgress: (n) => progress.update(n),
    end() {
      if (ended) return;
      ended = true;
      progress.stop();
      process.removeListener('SIGINT', onSigint);
    },
  };
}
