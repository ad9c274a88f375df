/** One JSON object on stdout (exact values serialise as strings, never floats). */
export function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export { CliError } from '../cli-error';

/**
 * Prints an error for scripts (stdout) and for people (stderr, with a hint) and returns the exit
 * code: the form `reportFailure` prints, for commands that choose their exit code themselves.
 */
export function fail(error: { code: string; message: string }, hint: string, exitCode: number): number {
  print({ error });
  process.stderr.write(`${error.message}\n${hint}`);
  return exitCode;
}
