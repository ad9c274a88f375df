/** One JSON object on stdout (exact values serialise as strings, never floats). */
export function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Prints the error for scripts (stdout) and for people (stderr); returns the exit code. */
export function fail(error: { code: string; message: string }, hint: string, exitCode: number): number {
  print({ error });
  process.stderr.write(`${error.message}\n${hint}`);
  return exitCode;
}

/** An error a command raises for bad input: its `code` is printed as is. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
