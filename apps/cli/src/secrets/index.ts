/**
 * `npm run -s cli -- secrets init [--out .env]`: the production secrets, in an env file that
 * docker compose reads (`env_file`) and a process manager can load: JWT_SECRET, KEY_MASTER_SECRET
 * and the audit signing key pair (the private key, base64 DER, in the file; the public key and
 * its id on stdout, to publish for witnesses). It never overwrites a file: new secrets would
 * change every voter pseudonym and orphan every signed checkpoint.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { keyIdOf, publicKeyPem } from '@civic/audit';
import { UsageError } from '../cli-error';
import { parseWithPositionals } from '../parse-options';

/** What the env file sets; the rest of a deployment's settings go below, commented, to fill in. */
const TEMPLATE = `
# Which services \`docker compose up\` starts: sqlite (the API alone), postgres or eventstoredb.
COMPOSE_PROFILES=sqlite

# Staff sign-in through the council's OpenID provider (see README.md, "Signing in").
# OIDC_STAFF_ISSUER=https://login.microsoftonline.com/<tenant>/v2.0
# OIDC_STAFF_CLIENT_ID=
# OIDC_STAFF_CLIENT_SECRET=
# OIDC_STAFF_REDIRECT_URI=https://pb.council.example/auth/staff/callback
# OIDC_STAFF_ROLES=administrator=pb-admins,reviewer=pb-officers,councillor=councillors,auditor=internal-audit
# Residents' sign-in, and the mail server that sends their codes.
# RESIDENT_SIGN_IN_EMAIL_CODE=true
# RESIDENT_SIGN_IN_POLL_CARD=true
# SMTP_HOST=
# SMTP_FROM=Participatory budget <pb@council.example>
`;

/** The commands of this group, for the usage and the tests. */
export const COMMANDS = ['init'] as const;
const USAGE = 'Usage: cli secrets init [--out FILE]\n';

export async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'init') throw new UsageError(command ? `Unknown secrets command "${command}"` : 'Name a secrets command', USAGE);
  const { values } = parseWithPositionals(rest, { out: { type: 'string', default: '.env' } }, false);
  const file = resolve(values.out!);
  if (existsSync(file)) {
    process.stdout.write(
      `${JSON.stringify({ error: { code: 'SECRETS.EXISTS', message: `${file} exists: secrets are made once (new ones would change every pseudonym).` } })}\n`,
    );
    return 1;
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const lines = [
    '# civic-ledger production secrets, made by `npm run -s cli -- secrets init`. Keep this file secret and backed up.',
    'NODE_ENV=production',
    `JWT_SECRET=${randomBytes(32).toString('base64url')}`,
    `KEY_MASTER_SECRET=${randomBytes(32).toString('base64')}`,
    `AUDIT_SIGNING_KEY=${privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64')}`,
  ];
  writeFileSync(file, `${lines.join('\n')}\n${TEMPLATE}`, { mode: 0o600, flag: 'wx' });
  process.stdout.write(
    `${JSON.stringify({ ok: true, file, auditKeyId: keyIdOf(publicKey), auditPublicKeyPem: publicKeyPem(publicKey) })}\n`,
  );
  return 0;
}
