/**
 * The command-line tool: `npm run -s cli -- <group> <command> [options]`.
 * Groups: `pb` (pabulib files and allocation rules), `audit` (the auditor's tools).
 * Results a script would read go to stdout as JSON; messages go to stderr; a failure
 * exits non-zero with `{ "error": { "code", "message" } }` on stdout.
 */
import { reportFailure, UsageError } from './cli-error';
import { GROUPS } from './groups';

async function main(argv: string[]): Promise<number> {
  const [group, ...rest] = argv;
  const run = group ? GROUPS[group] : undefined;
  if (!run) {
    const usage = `Usage: cli <group> <command> [options]\nGroups: ${Object.keys(GROUPS).join(', ')}\n`;
    throw new UsageError(group ? `Unknown group "${group}"` : 'Name a group and a command', usage);
  }
  return run(rest);
}

// Every failure of every command ends here: one JSON error on stdout, its exit code.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportFailure(err);
  },
);
