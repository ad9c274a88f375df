/** An error a command raises on purpose: a stable code, a plain message, the exit code. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad options or arguments (`CLI.USAGE`, exit 2); `usage` is shown to people on stderr. */
export class UsageError extends CliError {
  constructor(
    message: string,
    public usage = '',
  ) {
    super('CLI.USAGE', message, 2);
    this.name = 'UsageError';
  }

  /** The same error, with the usage of the command that refused (unless it already has one). */
  withUsage(usage: string): this {
    if (!this.usage) this.usage = usage;
    return this;
  }
}

/**
 * The one way the CLI fails, whatever the command: `{"error":{"code","message"}}` on stdout
 * for scripts, the message (and for bad usage, the usage) on stderr for people. Returns the
 * exit code: the error's own (2 for bad usage), else 1.
 */
export function reportFailure(err: unknown): number {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' && /^[A-Z][A-Z_]*\.[A-Z][A-Z_]*$/.test(e.code) ? e.code : 'CLI.FAILED';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  printFailure({ code, message }, err instanceof UsageError ? err.usage : '');
  return err instanceof CliError ? err.exitCode : 1;
}

/** The failure's two forms: JSON on stdout for scripts, the message and a hint on stderr for people. */
export function printFailure(error: { code: string; message: string }, hint: string): void {
  process.stdout.write(`${JSON.stringify({ error })}\n`);
  process.stderr.write(`${error.message}\n${hint}`);
}
