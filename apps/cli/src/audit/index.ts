/**
 * `cli audit <command>`: the auditor's tools, one entry and one folder each: `verify` (the
 * hash chain and checkpoints), `replay` (the funds as they stood), `recompute` (every recorded
 * allocation re-run), `export` (JSON lines or pabulib files) and `receipt verify` (a receipt's
 * inclusion proof and its signed checkpoint, offline) and `witness` (an outside witness of the
 * signed checkpoints) and `certificate verify` (a pot's signed results certificate, re-run offline).
 */
import { UsageError } from '../cli-error';

export type AuditCommand = (args: string[]) => Promise<number>;

/** The commands of this group, one entry each. */
export const AUDIT_COMMANDS: Record<string, AuditCommand> = {
  verify: (args) => import('./verify/verify.command').then((m) => m.verifyCommand(args)),
  replay: (args) => import('./replay/replay.command').then((m) => m.replayCommand(args)),
  recompute: (args) => import('./recompute/recompute.command').then((m) => m.recomputeCommand(args)),
  export: (args) => import('./export/export.command').then((m) => m.exportCommand(args)),
  receipt: (args) => import('./receipt/receipt.command').then((m) => m.receiptCommand(args)),
  witness: (args) => import('./witness/witness.command').then((m) => m.witnessCommand(args)),
  certificate: (args) => import('./certificate/certificate.command').then((m) => m.certificateCommand(args)),
};

export async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  const handler = command ? AUDIT_COMMANDS[command] : undefined;
  if (!handler) {
    const usage = `Usage: cli audit <command> [options]\nCommands: ${Object.keys(AUDIT_COMMANDS).join(', ')}\n`;
    throw new UsageError(command ? `Unknown audit command "${command}"` : 'Name an audit command', usage);
  }
  return handler(rest);
}
