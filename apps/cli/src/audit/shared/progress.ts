import { SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

/**
 * Progress on stderr: a bar on a terminal, otherwise a plain line every `every` events (CI
 * logs and pipes want lines, not carriage returns). stdout stays for the JSON report.
 */
export function progressOnStderr(label: string, total: number | undefined, every = 100_000): Progress {
  if (process.stderr.isTTY && total !== undefined) {
    const bar = new SingleBar({
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left`,
      hideCursor: true,
    });
    bar.start(total, 0);
    return { update: (done) => bar.update(done), stop: () => bar.stop() };
  }
  let next = every;
  const started = Date.now();
  return {
    update(done) {
      if (done < next) return;
      next = done + every;
      const rate = Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
      process.stderr.write(`${label}: ${done}${total === undefined ? '' : `/${total}`} events (${rate}/s)\n`);
    },
    stop() {},
  };
}
