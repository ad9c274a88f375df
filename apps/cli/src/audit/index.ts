/**
 * `cli audit <command>`: the auditor's tools. `verify` now; `replay`, `recompute` and
 * `export` slot in here as one entry and one folder each.
 */
export type AuditCommand = (args: string[]) => Promise<number>;

export const AUDIT_COMMANDS: Record<string, AuditCommand> = {
  verify: (args) => import('./verify/verify.command').then((m) => m.verifyCommand(args)),
};

export async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  const handler = command ? AUDIT_COMMANDS[command] : undefined;
  if (!handler) {
    process.stderr.write(`Usage: cli audit <command> [options]\nCommands: ${Object.keys(AUDIT_COMMANDS).join(', ')}\n`);
    return 2;
  }
  return handler(rest);
}
