import { printFailure } from '../cli-error';

/** One JSON object on stdout (exact values serialise as strings, never floats). */
export function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export { CliError } from '../cli-error';

/** Prints a failure as `reportFailure` does, for commands that choose their exit code themselves; returns it. */
export function fail(error: { code: string; message: string }, hint: string, exitCode: number): number {
  printFailure(error, hint);
  return exitCode;
}
