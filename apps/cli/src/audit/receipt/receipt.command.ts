import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CliError, fail, print } from '../../pb/output';
import { EXIT } from '../shared/exit-codes';
import { readText } from '../shared/read-input';
import { publicQuery, RECEIPT_QUERY } from '../shared/public-api';

const USAGE = `Usage: cli audit receipt verify <hash | code | receipt.json> --public-key FILE [--url URL | --proof FILE]
Checks a receipt: the RFC 6962 audit path of its event leads to the Merkle root of a signed
checkpoint, and the checkpoint's Ed25519 signature verifies with the given public key. The
proof comes from the API (--url, no sign-in), from a saved answer (--proof), or from the
receipt file itself. Prints a JSON verdict; exits 0 when it holds, 1 when it does not
(RECEIPT.NOT_IN_LOG, RECEIPT.PROOF_INVALID, RECEIPT.CHECKPOINT_KEY_MISMATCH, ...), 2 on bad options.
`;

/** `cli audit receipt verify`. */
export async function receiptCommand(args: string[]): Promise<number> {
  const audit = await import('@civic/audit');
  try {
    const { values, positionals } = parse(args);
    if (values.help) {
      process.stderr.write(USAGE);
      return EXIT.ok;
    }
    if (positionals[0] !== 'verify' || positionals.length !== 2) throw new CliError('CLI.USAGE', 'Name one receipt to verify.');
    if (!values['public-key'])
      throw new CliError('AUDIT.PUBLIC_KEY_REQUIRED', '--public-key is required: the key the API publishes (auditKey).');
    if (values.url && values.proof) throw new CliError('CLI.USAGE', 'Give --url or --proof, not both.');
    const publicKey = audit.loadPublicKey(readText(values['public-key']));
    const receipt = readReceipt(positionals[1]);
    if (receipt.code !== undefined && !audit.parseReceiptCode(receipt.code))
      throw new CliError('CLI.USAGE', `"${receipt.code}" is not a receipt code: check it for typing mistakes.`);
    const proof = values.proof
      ? unwrap(readJson(values.proof))
      : values.url
        ? (await publicQuery<{ receipt: unknown }>(values.url, RECEIPT_QUERY, { r: receipt.lookup })).receipt
        : receipt.proof;
    if (proof === undefined) throw new CliError('CLI.USAGE', 'No proof: give --url, --proof, or a receipt file that holds its proof.');
    if (proof === null) return fail({ code: 'RECEIPT.NOT_IN_LOG', message: 'The log has no event with this receipt.' }, '', EXIT.failed);
    const p = proof as { hash?: string; code?: string; standing?: unknown; proofStatus?: string };
    // A receipt given as a code names the first 80 bits of its hash only.
    const prefix = receipt.code === undefined ? undefined : audit.parseReceiptCode(receipt.code);
    if (prefix && typeof p.hash === 'string' && !p.hash.startsWith(prefix.toString('hex')))
      return fail({ code: 'RECEIPT.PROOF_MISMATCH', message: 'The proof is for another event than the receipt.' }, '', EXIT.failed);
    const verdict = audit.verifyReceiptProof(proof, publicKey, receipt.hash);
    if (!verdict.ok) return fail({ code: verdict.code, message: verdict.message }, '', EXIT.failed);
    print({ ...verdict, hash: p.hash, standing: p.standing ?? null });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof audit.SigningKeyError) return fail({ code: err.code, message: err.message }, USAGE, EXIT.usage);
    if (!(err instanceof CliError)) throw err;
    const usage = err.code === 'CLI.USAGE' || err.code === 'AUDIT.PUBLIC_KEY_REQUIRED';
    return fail({ code: err.code, message: err.message }, usage ? USAGE : '', usage ? EXIT.usage : EXIT.failed);
  }
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      options: { 'public-key': { type: 'string' }, url: { type: 'string' }, proof: { type: 'string' }, help: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new CliError('CLI.USAGE', (err as Error).message);
  }
}

interface GivenReceipt {
  /** What to look the receipt up by. */
  readonly lookup: string;
  readonly hash?: string;
  readonly code?: string;
  /** A receipt file that holds its proof (a saved `receipt` answer). */
  readonly proof?: unknown;
}

/** A hash, a short code, or a JSON file holding a receipt ({ hash }, { code }) or a saved answer. */
function readReceipt(text: string): GivenReceipt {
  const hex = /^[0-9a-fA-F]{64}$/;
  if (hex.test(text)) return { lookup: text.toLowerCase(), hash: text.toLowerCase() };
  if (!existsSync(text)) {
    if (!/^[0-9A-Za-z\s-]{17,30}$/.test(text)) throw new CliError('CLI.USAGE', `"${text}" is neither a receipt hash, a code nor a file.`);
    return { lookup: text, code: text };
  }
  const json = unwrap(readJson(text)) as { hash?: unknown; code?: unknown; proof?: unknown } | null;
  if (typeof json?.hash === 'string' && hex.test(json.hash))
    return { lookup: json.hash, hash: json.hash, proof: json.proof ? json : undefined };
  if (typeof json?.code === 'string') return { lookup: json.code, code: json.code };
  throw new CliError('CLI.USAGE', `${text} holds no receipt (a hash or a code).`);
}

/** A saved GraphQL answer ({ data: { receipt } }) or the receipt object itself. */
function unwrap(json: unknown): unknown {
  const data = (json as { data?: { receipt?: unknown } } | null)?.data;
  return data && 'receipt' in data ? data.receipt : json;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readText(path));
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError('RECEIPT.MALFORMED', `${path} is not JSON.`);
  }
}
