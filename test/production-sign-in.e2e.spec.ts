import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { compileApi, freePort, startCompiledApi } from './support/compiled-api';
import { composeConfig, secretsInit } from './support/compose';
import { send, type CookieJar } from './support/http-client';
import { SmtpInbox } from './support/smtp-inbox';
import { makeTestCertificates, type TestCertificates } from './support/test-ca';

/**
 * Production sign-in end to end: the compiled API started outside a container with the
 * configuration docker-compose.yml gives its `api` service (secrets from `secrets init`, the
 * data folder moved from the volume to a temporary one; development sign-in off), against a
 * real OpenID provider (oidc-provider, a child process serving HTTPS with a test certificate
 * authority that the API trusts through NODE_EXTRA_CA_CERTS: no insecure switch) and a real SMTP
 * server (smtp-server, STARTTLS required, same CA). The staff code flow is driven over HTTP with
 * a cookie jar, as a browser would follow it.
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
/** Residents' citizen accounts, whose claim carries the register reference. */
const CITIZENS: Record<string, { council_reference: string }> = {
  erin: { council_reference: 'th-700002' },
  frank: { council_reference: 'TH-700999' },
};

let dir: string;
let certs: TestCertificates;
let provider: ChildProcess;
let issuer: string;
let api: Awaited<ReturnType<typeof startCompiledApi>>;
let apiUrl: string;
let keys: { first: JWK; second: JWK };
let outDir: string | undefined;
let smtp: SmtpInbox;

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
        accounts: { ...ACCOUNTS, ...CITIZENS },
        clients: [
          {
            client_id: 'civic-staff',
            client_secret: STAFF_SECRET,
            redirect_uris: [`${apiUrl}/auth/staff/callback`],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
          {
            client_id: 'civic-resident',
            client_secret: STAFF_SECRET,
            redirect_uris: [`${apiUrl}/auth/resident/callback`],
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
  outDir = await compileApi();
  // Only over TLS: the API must upgrade the connection (SMTP_REQUIRE_TLS) with the same CA.
  smtp = new SmtpInbox({ key: certs.key, cert: certs.cert });
  await smtp.start();
  await secretsInit(join(dir, '.env'));
  const composed = (await composeConfig(join(dir, '.env'))).services.api.environment!;
  // The container's paths, on the volume at /data, moved to this test's folder.
  const moved = Object.fromEntries(
    Object.entries(composed).map(([k, v]) => [k, v.startsWith('/data/') ? join(dir, 'data', v.slice(6)) : v]),
  );
  api = await startCompiledApi(outDir, {
    ...moved,
    PATH: process.env.PATH ?? '',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    NODE_EXTRA_CA_CERTS: certs.caFile,
    RESIDENT_SIGN_IN_EMAIL_CODE: 'true',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port()),
    SMTP_REQUIRE_TLS: 'true',
    SMTP_FROM: 'Participatory budget <pb@council.example>',
    OIDC_STAFF_ISSUER: issuer,
    OIDC_STAFF_CLIENT_ID: 'civic-staff',
    OIDC_STAFF_CLIENT_SECRET: STAFF_SECRET,
    OIDC_STAFF_REDIRECT_URI: `${apiUrl}/auth/staff/callback`,
    OIDC_STAFF_ROLE_CLAIM: 'groups',
    OIDC_STAFF_ROLES: 'administrator=pb-admins,councillor=councillors,reviewer=pb-officers,auditor=pb-auditors',
    OIDC_STAFF_AUDIENCE: AUDIENCE,
    OIDC_RESIDENT_ISSUER: issuer,
    OIDC_RESIDENT_CLIENT_ID: 'civic-resident',
    OIDC_RESIDENT_CLIENT_SECRET: STAFF_SECRET,
    OIDC_RESIDENT_REDIRECT_URI: `${apiUrl}/auth/resident/callback`,
    OIDC_RESIDENT_SCOPES: 'openid reference',
    OIDC_RESIDENT_REFERENCE_CLAIM: 'council_reference',
    // Residents' callback hands the web app a one-time code; staff's answers JSON.
    OIDC_RESIDENT_RETURN_URL: 'https://pb.council.example/signed-in',
    // Refetch the provider's keys at once when a token names an unknown one (the default waits 30 s).
    OIDC_JWKS_COOLDOWN_SECONDS: '0',
  });
});

afterAll(async () => {
  await api?.stop();
  await smtp?.stop();
  provider?.kill();
  rmSync(dir, { recursive: true, force: true });
});

const gql = async (query: string, token?: string) =>
  (await send(`${apiUrl}/graphql`, { json: { query }, headers: token ? { authorization: `Bearer ${token}` } : {} })).json<{
    data?: any;
    errors?: { message: string; extensions: { code: string } }[];
  }>();
const codeOf = (res: { errors?: { extensions: { code: string } }[] }) => res.errors?.[0]?.extensions.code;

/** A staff member signs in through the provider's pages, as a browser follows them; the callback's answer. */
const staffSignIn = (user: string, tamper?: (callbackUrl: URL, jar: CookieJar) => void) => browserSignIn('staff', user, tamper);

/** Someone signs in at /auth/<who>/login through the provider's pages, as a browser follows them. */
async function browserSignIn(who: 'staff' | 'resident', user: string, tamper?: (callbackUrl: URL, jar: CookieJar) => void) {
  const jar: CookieJar = new Map();
  const login = await send(`${apiUrl}/auth/${who}/login`, { jar });
  expect(login.status).toBe(302);
  expect(login.headers['set-cookie']?.[0]).toMatch(
    new RegExp(`^civic_${who}_login=[^;]+; Path=/auth/${who}; HttpOnly; SameSite=Lax; Max-Age=600; Secure$`),
  );
  let url = new URL(String(login.headers.location));
  expect(url.origin).toBe(issuer);
  expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  expect(url.searchParams.get('nonce')).toBeTruthy();
  for (let step = 0; step < 20; step++) {
    if (url.href.startsWith(`${apiUrl}/auth/${who}/callback`)) {
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

  it('signs a resident in with a code mailed over STARTTLS to the address on the register', async () => {
    const admin = (await staffSignIn('alice')).json().token;
    const csv = 'reference,ward,date_of_birth,name,email\nTH-700001,Bow East,1980-02-02,Rahima,rahima@example.org';
    const imported = await send(`${apiUrl}/graphql`, {
      json: { query: 'mutation($csv: String!) { importRegister(csv: $csv) { imported } }', variables: { csv } },
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(imported.json().data.importRegister.imported).toBe(1);
    const asked = (await gql('mutation { requestSignInCode(identifier: "rahima@example.org") { challenge } }')).data.requestSignInCode;
    const code = /(\d{6})/.exec((await smtp.mailTo('rahima@example.org')).subject)![1];
    const signedIn = await gql(`mutation { signInWithCode(challenge: "${asked.challenge}", code: "${code}") { subject } }`);
    expect(signedIn.data.signInWithCode.subject).toBe('TH-700001');
  });

  it('signs a resident in through a citizen account whose claim carries their register reference; refuses one not on the register; the web app redeems the one-time code once', async () => {
    const admin = (await staffSignIn('alice')).json().token;
    const csv = 'reference,ward,date_of_birth\nTH-700002,Bow East,1990-03-03';
    const imported = await send(`${apiUrl}/graphql`, {
      json: { query: 'mutation($csv: String!) { importRegister(csv: $csv) { imported } }', variables: { csv } },
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(imported.json().data.importRegister.imported).toBe(1);
    const erin = await browserSignIn('resident', 'erin');
    expect(erin.status).toBe(303);
    const landing = new URL(String(erin.headers.location));
    expect(landing.origin + landing.pathname).toBe('https://pb.council.example/signed-in');
    const redeem = `mutation { redeemSignIn(code: "${landing.searchParams.get('signin')}") { token subject } }`;
    const redeemed = (await gql(redeem)).data.redeemSignIn;
    expect(redeemed.subject).toBe('TH-700002');
    expect(codeOf(await gql(redeem))).toBe('AUTH.SIGN_IN_EXPIRED'); // once only
    expect((await gql('{ me { subject role signedInWith } }', redeemed.token)).data.me).toEqual({
      subject: 'TH-700002',
      role: 'resident',
      signedInWith: 'oidc_resident',
    });
    const frank = await browserSignIn('resident', 'frank');
    expect(frank.status).toBe(303);
    expect(new URL(String(frank.headers.location)).searchParams.get('error')).toBe('AUTH.NOT_REGISTERED');
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
