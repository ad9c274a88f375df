import { readFileSync } from 'node:fs';
import type { AuditReport, WitnessRecord } from '@civic/audit';
import { EXIT } from '../shared/exit-codes';
import { openHistory } from '../shared/open-history';
import { progressOnStderr } from '../shared/progress';
import { parseOptions } from '../../parse-options';
import { STORE_OPTIONS, STORE_USAGE, storeChoice, UsageError } from '../shared/store-options';

const OPTIONS = {
  ...STORE_OPTIONS,
  /** The Ed25519 public key the API publishes, as a PEM file. */
  'public-key': { type: 'string' },
  /** A copy of the checkpoint witness kept by the auditor (JSON lines); may be repeated. */
  witness: { type: 'string', multiple: true },
  /** SQLite only: worker threads that read and hash while the main thread checks the order (default: one on two cores or more, for 100,000 events or more). */
  workers: { type: 'string' },
  help: { type: 'boolean' },
} as const;

const USAGE = `Usage: cli audit verify ${STORE_USAGE}
                         --public-key FILE [--witness FILE]... [--workers N]
Checks every stream's hash chain, every checkpoint's Merkle root and signature, and that no
witnessed checkpoint or issued position is missing. Prints a JSON report on stdout; exits 0
when clean, 1 on any failure, 130 when interrupted (Ctrl-C), 2 on bad options.
`;

export async function verifyCommand(args: string[]): Promise<number> {
  const audit = await import('@civic/audit');
  let setup: Awaited<ReturnType<typeof prepare>>;
  try {
    const values = parseOptions(args, OPTIONS);
    if (values.help) {
      process.stderr.write(USAGE);
      return EXIT.ok;
    }
    setup = await prepare(audit, values);
  } catch (err) {
    if (err instanceof UsageError) throw err.withUsage(USAGE);
    if (err instanceof audit.SigningKeyError) throw new UsageError(err.message, USAGE);
    throw err;
  }
  const { history, publicKey, auditorWitnesses } = setup;
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let report: AuditReport;
  try {
    const progress = progressOnStderr('verify', await history.source.total());
    try {
      report = await audit.verifyHistory({
        source: history.source,
        publicKey,
        witnesses: [...(history.storeWitness ? [history.storeWitness] : []), ...auditorWitnesses],
        signal: controller.signal,
        onProgress: (n) => progress.update(n),
      });
    } finally {
      progress.stop();
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
    await history.close();
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  if (report.interrupted) return EXIT.interrupted;
  return report.ok ? EXIT.ok : EXIT.failed;
}

/** Everything that can fail on bad options, done before the long pass. */
async function prepare(audit: typeof import('@civic/audit'), values: ReturnType<typeof parseOptions<typeof OPTIONS>>) {
  const publicKey = values['public-key'] ? audit.loadPublicKey(readText(values['public-key'], 'public key')) : undefined;
  const auditorWitnesses: { description: string; records: WitnessRecord[] }[] = [];
  for (const path of values.witness ?? []) {
    readText(path, 'witness');
    auditorWitnesses.push({ description: path, records: await new audit.FileWitness(path).readAll() });
  }
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0 && workers <= 16))
    throw new UsageError('--workers must be an integer from 0 to 16');
  const history = await openHistory(storeChoice(values), { workers });
  return { history, publicKey, auditorWitnesses };
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`Cannot read the ${what} file ${path}`);
  }
}
