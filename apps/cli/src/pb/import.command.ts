import { existsSync, readFileSync } from 'node:fs';
import { CliError, UsageError } from '../cli-error';

export interface ImportArgs {
  readonly file: string[];
  readonly url?: string;
  readonly token?: string;
  readonly fund?: string;
  readonly pot?: string;
  readonly part?: string;
}

const PARTS = ['projects', 'ballots'] as const;

/**
 * Sends a pabulib file to a running platform's `importPabulib` mutation: through the API, so the
 * import is authorised, checked and recorded exactly as from an administrator's page.
 */
export async function importCommand(args: ImportArgs): Promise<unknown> {
  const missing = (['url', 'token', 'fund', 'pot', 'part'] as const).filter((k) => !args[k]);
  if (missing.length > 0) throw new UsageError(`Missing ${missing.map((m) => `--${m}`).join(', ')}`);
  if (!(PARTS as readonly string[]).includes(args.part!)) throw new UsageError(`--part is projects or ballots, not "${args.part}"`);
  if (args.file.length !== 1) throw new UsageError('Give exactly one .pb file');
  const [file] = args.file;
  if (!existsSync(file)) throw new CliError('CLI.FILE_NOT_FOUND', `No such file: ${file}`);
  let endpoint: URL;
  try {
    endpoint = new URL('/graphql', args.url);
  } catch {
    throw new UsageError(`--url is not a URL: ${args.url}`);
  }
  const query = `mutation($f: ID!, $p: ID!, $file: String!, $part: ImportPart!) { importPabulib(fundId: $f, potId: $p, file: $file, part: $part) { fileDigest projects ballots } }`;
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${args.token}` },
    body: JSON.stringify({ query, variables: { f: args.fund, p: args.pot, file: readFileSync(file, 'utf8'), part: args.part } }),
  }).catch((error: Error) => {
    throw new CliError('CLI.UNREACHABLE', `The platform at ${endpoint.origin} did not answer: ${error.message}`);
  });
  const body = (await response.json().catch(() => ({}))) as {
    data?: { importPabulib?: unknown };
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  const error = body.errors?.[0];
  if (error) throw new CliError(error.extensions?.code ?? 'CLI.FAILED', error.message);
  if (!body.data?.importPabulib) throw new CliError('CLI.FAILED', `The platform answered ${response.status} without a result`);
  return { file, part: args.part, ...body.data.importPabulib };
}
