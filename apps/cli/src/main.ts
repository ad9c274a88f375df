/**
 * The command-line tool: `npm run -s cli -- <group> <command> [options]`.
 * Groups: `pb` (pabulib files and allocation rules), `audit` (the auditor's tools).
 * Results a script would read go to stdout as JSON; messages go to stderr; a failure
 * exits non-zero with `{ "error": { "code", "message" } }` on stdout.
 */
import { GROUPS } from './groups';

async function main(argv: string[]): Promise<number> {
  const [group, ...rest] = argv;
  const run = group ? GROUPS[group] : undefined;
  if (!run) {
    process.stderr.write(`Usage: cli <group> <command> [options]\nGroups: ${Object.keys(GROUPS).join(', ')}\n`);
    return 2;
  }
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const e = err as { code?: string; message?: string };
    process.stdout.write(`${JSON.stringify({ error: { code: e.code ?? 'CLI.FAILED', message: e.message ?? String(err) } })}\n`);
    process.exitCode = 1;
  },
);
