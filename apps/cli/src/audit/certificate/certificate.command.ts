import { parseArgs } from 'node:util';
import { CliError, fail, print } from '../../pb/output';
import { EXIT } from '../shared/exit-codes';
import { readText } from '../shared/read-input';

const USAGE = `Usage: cli audit certificate verify FILE --public-key FILE
Checks a pot's signed results certificate from the file alone: the audit key's signature in the
certificate's own signing context, the pabulib file of the counted ballots against its digest,
the ballots against theirs, then re-runs the allocation rule (libs/allocation) and compares every
funded proposal and amount, the tie-break order and the total; and the covering checkpoint's
signature. Prints a JSON verdict; exits 0 when every field holds, 1 with a CERTIFICATE.* code
when one does not, 2 on bad options.
`;

/** `cli audit certificate verify`. */
export async function certificateCommand(args: string[]): Promise<number> {
  const audit = await import('@civic/audit');
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: { 'public-key': { type: 'string' }, help: { type: 'boolean' } },
        allowPositionals: true,
        strict: true,
      });
    } catch (err) {
      throw new CliError('CLI.USAGE', (err as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      process.stderr.write(USAGE);
      return EXIT.ok;
    }
    if (positionals[0] !== 'verify' || positionals.length !== 2) throw new CliError('CLI.USAGE', 'Name one certificate file to verify.');
    if (!values['public-key'])
      throw new CliError('AUDIT.PUBLIC_KEY_REQUIRED', '--public-key is required: the key the API publishes (auditKey).');
    const publicKey = audit.loadPublicKey(readText(values['public-key']));
    const verdict = audit.verifyResultsCertificate(readText(positionals[1]), publicKey);
    if (!verdict.ok) return fail({ code: verdict.code, message: verdict.message }, '', EXIT.failed);
    print(verdict);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof audit.SigningKeyError) return fail({ code: err.code, message: err.message }, USAGE, EXIT.usage);
    if (!(err instanceof CliError)) throw err;
    return fail({ code: err.code, message: err.message }, USAGE, EXIT.usage);
  }
}
