import { fork, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { compileApi, freePort, startCompiledApi } from './support/compiled-api';
import { send, type CookieJar } from './support/http-client';
import { makeTestCertificates, type TestCertificates } from './support/test-ca';

/**
 * Production sign-in end to end: the compiled API started in production mode (development
 * sign-in off) against a real OpenID provider (oidc-provider, a child process serving HTTPS with
 * a test certificate authority the API trusts through NODE_EXTRA_CA_CERTS: no insecure switch).
 * The staff code flow is driven over HTTP with a cookie jar, as a browser would follow it.
 */
jest.setTimeout(240_000);

const AUDIENCE = 'urn:civic-ledger:api';
const STAFF_SECRET = randomBytes(24).toString('base64url');
const SYSTEM_SECRET = randomBytes(24).toString('base64url');
const ACCOUNTS: Record<string, { email: string; name: string; groups: string[] }> = {
  alice: { email: 'alice@council.example', name: 'Alice', groups: ['pb-admins', 'all-staff'] },
  bob: { email: 'bob@council.example', name: 'Bob', groups: ['pb-officers'] },
  carol: { email: 'carol@council.example', name: 'Carol', groups: ['library-staff'] },
  dave: { email: 'dave@council.example', name: 'Dave', groups: ['pb-auditors'] },
};

let dir: string;
let certs: TestCertificates;
let provider: ChildProcess;
let issuer: string;
let api: Awaited<ReturnType<typeof startCompiledApi>>;
let apiUrl: string;
let keys: { first: JWK; second: JWK };
let outDir: string | undefined;

/** The next message of the provider process that has `field`. */
const fromProvider = (field: string) =>
  new Promise<any>((resolve) => {
    const listen = (message: any) => {
      if (message && field in message) {
        provider.off('message', listen);
        resolve(message);
      }
    };
    provider.on('message', listen);
  });

async function signingKey(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'civic-prod-signin-'));
  certs = makeTestCertificates(dir);
  keys = { first: await signingKey('key-1'), second: await signingKey('key-2') };
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  provider = fork(join(__dirname, 'support', 'oidc-provider.mjs'), [], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: {
      ...process.env,
      OIDC_TEST_PROVIDER: JSON.stringify({
        key: certs.key,
        cert: certs.cert,
        jwks: { keys: [keys.first] },
        accounts: ACCOUNTS,
        clients: [
          {
            client_id: 'civic-staff',
            client_secret: STAFF_SECRET,
            redirect_uris: [`${apiUrl}/auth/staff/callback`],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
          // Another council system, with tokens for this API (or, asked so, for another one).
          {
            client_id: 'council-system',
            client_secret: SYSTEM_SECRET,
            redirect_uris: [],
            response_types: [],
            grant_types: ['client_credentials'],
            scope: 'api',
          },
        ],
        extraClaims: { 'council-system': { groups: ['pb-auditors'] } },
      }),
    },
  });
  ({ issuer } = await fromProvider('issuer'));
  outDir = await compileApi('prod-signin');
  const { privateKey } = generateKeyPairSync('ed25519');
  api = await startCompiledApi(outDir, {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    SQLITE_PATH: join(dir, 'data', 'events.sqlite'),
    JWT_SECRET: randomBytes(32).toString('base64url'),
    KEY_MASTER_SECRET: randomBytes(32).toString('base64'),
    AUDIT_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    NODE_EXTRA_CA_CERTS: certs.caFile,
    OIDC_STAFF_ISSUER: issuer,
    OIDC_STAFF_CLIENT_ID: 'civic-staff',
    OIDC_STAFF_CLIENT_SECRET: STAFF_SECRET,
    OIDC_STAFF_REDIRECT_URI: `${apiUrl}/auth/staff/callback`,
    OIDC_STAFF_ROLE_CLAIM: 'groups',
    OIDC_STAFF_ROLES: 'administrator=pb-admins,councillor=councillors,reviewer=pb-officers,auditor=pb-auditors',
    OIDC_STAFF_AUDIENCE: AUDIENCE,
    // Refetch the provider's keys at once when a token names an unknown one (the default waits 30 s).
    OIDC_JWKS_COOLDOWN_SECONDS: '0',
  });
});

afterAll(async () => {
  await api?.stop();
  provider?.kill();
  rmSync(dir, { recursive: true, force: true });
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

const gql = async (query: string, token?: string) =>
  (await send(`${apiUrl}/graphql`, { json: { query }, headers: token ? { authorization: `Bearer ${token}` } : {} })).json<{
    data?: any;
    errors?: { message: string; extensions: { code: string } }[];
  }>();
const codeOf = (res: { errors?: { extensions: { code: string } }[] }) => res.errors?.[0]?.extensions.code;

/** A staff member signs in through the provider's pages, as a browser follows them; the callback's answer. */
async function staffSignIn(user: string, tamper?: (callbackUrl: URL, jar: CookieJar) => void) {
  const jar: CookieJar = new Map();
  const login = await send(`${apiUrl}/auth/staff/login`, { jar });
  expect(login.status).toBe(302);
  expect(login.headers['set-cookie']?.[0]).toMatch(
    /^civic_staff_login=[^;]+; Path=\/auth\/staff; HttpOnly; SameSite=Lax; Max-Age=600; Secure$/,
  );
  let url = new URL(String(login.headers.location));
  expect(url.origin).toBe(issuer);
  expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  expect(url.searchParams.get('nonce')).toBeTruthy();
  for (let step = 0; step < 20; step++) {
    if (url.href.startsWith(`${apiUrl}/auth/staff/callback`)) {
      tamper?.(url, jar);
      return send(url.href, { jar });
    }
    const res = await send(url.href, { jar, ca: certs.ca });
    if (res.status >= 300 && res.status < 400) {
      url = new URL(String(res.headers.location), url);
      continue;
    }
    // One of the provider's interaction pages: its form, filled in.
    const action = /<form[^>]*action="([^"]+)"/.exec(res.body)?.[1]?.replaceAll('&amp;', '&');
    const prompt = /name="prompt" value="(\w+)"/.exec(res.body)?.[1];
    if (!action || !prompt) throw new Error(`unexpected page at ${url.href} (${res.status}):\n${res.body.slice(0, 500)}`);
    const form: Record<string, string> = prompt === 'login' ? { prompt, login: user, password: 'any' } : { prompt };
    const submitted = await send(new URL(action, url).href, { form, jar, ca: certs.ca });
    url = new URL(String(submitted.headers.location), url);
  }
  throw new Error('the sign-in did not come back to the callback');
}

/** A token the provider issues to the other council system (client credentials) for `resource`. */
async function systemToken(resource = AUDIENCE): Promise<string> {
  const res = await send(`${issuer}/token`, {
    form: { grant_type: 'client_credentials', scope: 'api', resource },
    headers: { authorization: `Basic ${Buffer.from(`council-system:${SYSTEM_SECRET}`).toString('base64')}` },
    ca: certs.ca,
  });
  if (res.status !== 200) throw new Error(`the provider refused a token: ${res.body}`);
  return res.json().access_token;
}

/** A token signed with a key of the test's choice (the provider's own, or a forger's). */
async function handSigned(key: JWK, claims: Record<string, unknown>, expiresIn = '10m'): Promise<string> {
  return new SignJWT({ groups: ['pb-auditors'], ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'at+jwt' })
    .setIssuer(String(claims.iss ?? issuer))
    .setAudience(String(claims.aud ?? AUDIENCE))
    .setSubject('council-system')
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(await importJWK(key, 'RS256'));
}

describe('production sign-in', () => {
  it('has no development sign-in', async () => {
    expect(codeOf(await gql('mutation { devSignIn(role: administrator, subject: "x") { token } }'))).toBe('AUTH.FORBIDDEN');
  });

  it('signs a staff member in through the provider (code flow, PKCE, nonce) into an API session with their mapped role; signOut ends it', async () => {
    const callback = await staffSignIn('alice');
    expect(callback.status).toBe(200);
    const { token, role, subject } = callback.json();
    expect({ role, subject }).toEqual({ role: 'administrator', subject: 'alice' });
    expect((await gql('{ me { subject role signedInWith } }', token)).data.me).toEqual({
      subject: 'alice',
      role: 'administrator',
      signedInWith: 'oidc_staff',
    });
    expect((await gql('mutation { signOut }', token)).data.signOut).toBe(true);
    expect(codeOf(await gql('{ me { role } }', token))).toBe('AUTH.UNAUTHENTICATED');
  });

  it('refuses a staff member whose claims map to no role, with AUTH.NO_ROLE and no session', async () => {
    const callback = await staffSignIn('carol');
    expect(callback.status).toBe(403);
    expect(callback.json()).toEqual({ error: { code: 'AUTH.NO_ROLE', message: expect.stringMatching(/no role/) } });
  });

  it('refuses a callback without the login cookie, or with another state', async () => {
    const noCookie = await staffSignIn('alice', (_url, jar) => jar.clear());
    expect(noCookie.json().error.code).toBe('AUTH.SIGN_IN_EXPIRED');
    const otherState = await staffSignIn('alice', (url) => url.searchParams.set('state', 'forged-state'));
    expect(otherState.json().error.code).toBe('AUTH.SIGN_IN_FAILED');
  });

  it('records sign-ins, sign-outs and role changes for auditors: who, when, which provider subject', async () => {
    const first = (await staffSignIn('bob')).json();
    expect(first.role).toBe('reviewer');
    provider.send({ account: { id: 'bob', claims: { ...ACCOUNTS.bob, groups: ['councillors'] } } });
    await fromProvider('updated');
    const second = (await staffSignIn('bob')).json();
    expect(second.role).toBe('councillor');
    const auditor = (await staffSignIn('dave')).json().token;
    const log = await gql('{ auditLog(first: 100, streamCategory: "staffAccess") { events { type data metadata } } }', auditor);
    const events = log.data.auditLog.events.map((e: { type: string; data: string; metadata: string }) => ({
      type: e.type,
      data: JSON.parse(e.data),
      metadata: JSON.parse(e.metadata),
    }));
    const of = (staffId: string) => events.filter((e: any) => e.data.staffId === staffId);
    expect(of('alice').map((e: any) => e.type)).toEqual(['StaffSignedIn', 'StaffSignedOut']);
    expect(of('bob').map((e: any) => [e.type, e.data.role])).toEqual([
      ['StaffSignedIn', 'reviewer'],
      ['StaffRoleChanged', 'councillor'],
      ['StaffSignedIn', 'councillor'],
    ]);
    expect(of('bob')[1].data).toMatchObject({ from: 'reviewer', to: 'councillor', providerSubject: `${issuer}|bob` });
    expect(of('bob')[0].metadata).toMatchObject({ actorRole: 'reviewer', actorId: 'bob', time: expect.any(String) });
    expect(of('carol')).toEqual([]);
  });

  describe("the provider's access tokens as bearer tokens", () => {
    it('accepts one it issued for this API, with the role its claims map to', async () => {
      const token = await systemToken();
      expect((await gql('{ me { subject role signedInWith } }', token)).data.me).toEqual({
        subject: 'council-system',
        role: 'auditor',
        signedInWith: 'provider_token',
      });
    });

    it.each([
      ['issued for another API', async () => systemToken('urn:another:api'), 'AUTH.TOKEN_AUDIENCE'],
      ['from another issuer', async () => handSigned(keys.first, { iss: 'https://elsewhere.example' }), 'AUTH.TOKEN_ISSUER'],
      ['expired', async () => handSigned(keys.first, {}, '-1m'), 'AUTH.TOKEN_EXPIRED'],
      [
        'with a forged signature (another key, the same key id)',
        async () => handSigned({ ...(await signingKey('key-1')) }, {}),
        'AUTH.TOKEN_SIGNATURE',
      ],
      ['without a mapped role', async () => handSigned(keys.first, { groups: ['library-staff'] }), 'AUTH.NO_ROLE'],
    ])('refuses one %s', async (_why, make, code) => {
      expect(codeOf(await gql('{ me { role } }', await make()))).toBe(code);
    });

    it('signOut refuses that access token from then on', async () => {
      const token = await systemToken();
      expect((await gql('mutation { signOut }', token)).data.signOut).toBe(true);
      expect(codeOf(await gql('{ me { role } }', token))).toBe('AUTH.UNAUTHENTICATED');
    });

    it('after a key rotation, accepts a token signed with the new key and refuses one signed with the removed key', async () => {
      const before = await systemToken();
      expect((await gql('{ me { role } }', before)).data.me.role).toBe('auditor');
      provider.send({ jwks: { keys: [keys.second] } });
      await fromProvider('rotated');
      const after = await systemToken();
      expect(JSON.parse(Buffer.from(after.split('.')[0], 'base64url').toString()).kid).toBe('key-2');
      expect((await gql('{ me { role } }', after)).data.me.role).toBe('auditor');
      expect(codeOf(await gql('{ me { role } }', before))).toBe('AUTH.TOKEN_SIGNATURE');
    });
  });
});
