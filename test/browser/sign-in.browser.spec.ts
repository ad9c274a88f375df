import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Gql } from '../support/api-client';
import { compileApi, freePort, startCompiledApi } from '../support/compiled-api';
import { pollCardsOf } from '../support/poll-cards';
import { startSmtpInbox } from '../support/smtp-inbox';
import { makeTestCertificates, type TestCertificates } from '../support/test-ca';
import { votingFund, type VotingFund } from '../support/voting-fund';
import { axe as axeOf, type Incomplete, reportIncomplete } from './axe';
import { launchChromium, screenshot, signInAsStaff } from './browser';

/**
 * Signing in through the real browser: the OpenID Connect code flow with PKCE against a real
 * provider (oidc-provider, a child process serving HTTPS under a test certificate authority that
 * the compiled API trusts through NODE_EXTRA_CA_CERTS) for staff and for residents, the e-mailed
 * code through a real SMTP server, the poll card, and the kiosk's countdown on a controlled
 * clock. axe checks each sign-in page in English and Bengali.
 */
const SECRET = randomBytes(24).toString('base64url');
const ACCOUNTS = {
  bob: { email: 'bob@council.example', name: 'Bob', groups: ['pb-officers'] },
  carol: { email: 'carol@council.example', name: 'Carol', groups: ['library-staff'] },
  erin: { council_reference: 'th-700002' },
};
const EMAIL_RESIDENT = { reference: 'TH-700003', email: 'rahima@example.org' };

let dir: string;
let certs: TestCertificates;
let provider: ChildProcess;
let issuer: string;
let api: Awaited<ReturnType<typeof startCompiledApi>>;
let apiUrl: string;
let outDir: string | undefined;
let browser: Browser;
let fund: VotingFund;
let cards: Map<string, string>;
const incomplete: Incomplete = {};
let smtp: Awaited<ReturnType<typeof startSmtpInbox>>;

/** A GraphQL client of the compiled API, shaped as the in-process one the fixtures take. */
const client = {
  gql: async (query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Gql> =>
    (await fetch(`${apiUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    }).then((r) => r.json())) as Gql,
  signIn: async (role: string, subject: string): Promise<string> =>
    (await client.gql(`mutation($r: Role!, $s: String!) { devSignIn(role: $r, subject: $s) { token } }`, { r: role, s: subject })).data
      .devSignIn.token,
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'civic-signin-browser-'));
  certs = makeTestCertificates(dir);
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  provider = fork(join(__dirname, '..', 'support', 'oidc-provider.mjs'), [], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: {
      ...process.env,
      OIDC_TEST_PROVIDER: JSON.stringify({
        key: certs.key,
        cert: certs.cert,
        jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'key-1', alg: 'RS256', use: 'sig' }] },
        accounts: ACCOUNTS,
        clients: ['staff', 'resident'].map((who) => ({
          client_id: `civic-${who}`,
          client_secret: SECRET,
          redirect_uris: [`${apiUrl}/auth/${who}/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        })),
        extraClaims: {},
      }),
    },
  });
  const [issued] = await Promise.all([
    new Promise<{ issuer: string }>((resolve) => provider.once('message', (m) => resolve(m as { issuer: string }))),
    startSmtpInbox().then((inbox) => (smtp = inbox)),
  ]);
  issuer = issued.issuer;
  [outDir, browser] = await Promise.all([compileApi(), launchChromium()]);
  api = await startCompiledApi(outDir, {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    SQLITE_PATH: join(dir, 'data', 'events.sqlite'),
    NODE_EXTRA_CA_CERTS: certs.caFile,
    RATE_LIMIT_PER_MINUTE: '100000',
    RESIDENT_SIGN_IN_EMAIL_CODE: 'true',
    RESIDENT_SIGN_IN_POLL_CARD: 'true',
    PERSONAL_DATA_EXPORTERS: 'admin-1',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    SMTP_REQUIRE_TLS: 'false',
    SMTP_FROM: 'Participatory budget <pb@council.example>',
    OIDC_STAFF_ISSUER: issuer,
    OIDC_STAFF_CLIENT_ID: 'civic-staff',
    OIDC_STAFF_CLIENT_SECRET: SECRET,
    OIDC_STAFF_REDIRECT_URI: `${apiUrl}/auth/staff/callback`,
    OIDC_STAFF_ROLE_CLAIM: 'groups',
    OIDC_STAFF_ROLES: 'administrator=pb-admins,reviewer=pb-officers',
    OIDC_STAFF_RETURN_URL: `${apiUrl}/staff/sign-in/return`,
    OIDC_RESIDENT_ISSUER: issuer,
    OIDC_RESIDENT_CLIENT_ID: 'civic-resident',
    OIDC_RESIDENT_CLIENT_SECRET: SECRET,
    OIDC_RESIDENT_REDIRECT_URI: `${apiUrl}/auth/resident/callback`,
    OIDC_RESIDENT_SCOPES: 'openid reference',
    OIDC_RESIDENT_REFERENCE_CLAIM: 'council_reference',
    OIDC_RESIDENT_RETURN_URL: `${apiUrl}/sign-in/return`,
  });
  // The poll card residents are the fund's voters; erin and the e-mail resident are on the register too.
  fund = await votingFund(client as unknown as Parameters<typeof votingFund>[0], ['TH-700004', 'TH-700005', 'TH-700006']);
  const csv = `reference,ward,date_of_birth,email\nTH-700002,Mile End,1990-03-03,\n${EMAIL_RESIDENT.reference},Mile End,1980-02-02,${EMAIL_RESIDENT.email}`;
  await client.gql('mutation($csv: String!) { importRegister(csv: $csv) { imported } }', { csv }, fund.admin);
  cards = await pollCardsOf(client, fund.fundId, fund.admin);
}, 240_000);

afterAll(async () => {
  reportIncomplete('axe-incomplete-sign-in.json', incomplete);
  await browser?.close();
  await api?.stop();
  await smtp?.close();
  provider?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A fresh browser (no provider session); the provider's pages are served under the test CA, which Chromium does not know. */
const freshContext = (lang: 'en' | 'bn' = 'en'): Promise<BrowserContext> =>
  browser.newContext({
    ignoreHTTPSErrors: true,
    locale: lang === 'bn' ? 'bn-BD' : 'en-GB',
    extraHTTPHeaders: { 'accept-language': lang === 'bn' ? 'bn-BD,bn;q=0.9' : 'en-GB,en;q=0.9' },
  });

/**
 * Signs in at the provider's own pages (its login form, then its consent form) after `start`
 * took the browser there; resolves with the authorization request the browser sent.
 */
async function atProvider(page: Page, user: string, start: () => Promise<unknown>): Promise<URL> {
  const authorization = page.waitForRequest((r) => r.url().startsWith(`${issuer}/auth?`));
  await start();
  const request = new URL((await authorization).url());
  await page.locator('input[name=login]').fill(user);
  await page.locator('input[name=password]').fill('any');
  const login = page.url();
  await page.locator('button[type=submit]').click();
  await page.waitForURL((u) => u.href !== login);
  // The consent form (oidc-provider's development interaction), unless the browser is back already.
  if (page.url().startsWith(issuer)) await page.locator('button[type=submit]').first().click();
  await page.waitForURL((u) => u.origin === apiUrl);
  return request;
}

const fieldOf = (page: Page, id: string) => page.locator(`#${id}`);

describe('signing in through the browser', () => {
  it('staff: the code flow with PKCE lands on /staff with the mapped role; no mapped role is refused plainly', async () => {
    const context = await freshContext();
    const page = await context.newPage();
    await page.goto(`${apiUrl}/staff/sign-in`);
    const request = await atProvider(page, 'bob', () => page.locator('a.govuk-button[href^="/auth/staff/login"]').click());
    expect(request.searchParams.get('code_challenge_method')).toBe('S256');
    expect(request.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(request.searchParams.get('nonce')).toBeTruthy();
    await page.waitForURL(`${apiUrl}/staff`);
    await expect(page.locator('main .govuk-caption-l').innerText()).resolves.toBe('Reviewer');
    await expect(page.locator('.council-bar__who').innerText()).resolves.toContain('bob');
    await context.close();

    const refused = await (await freshContext()).newPage();
    await refused.goto(`${apiUrl}/staff/sign-in`);
    await atProvider(refused, 'carol', () => refused.locator('a.govuk-button[href^="/auth/staff/login"]').click());
    await refused.waitForURL((u) => u.pathname === '/staff/sign-in/return');
    await expect(refused.locator('h1').innerText()).resolves.toBe('You do not have a role here');
    await expect(refused.locator('.council-bar__who').innerText()).resolves.toContain('not signed in');
    expect({ violations: await axeOf(refused, 'staff-no-role-en', incomplete) }).toEqual({ violations: [] });
    await refused.context().close();
  });

  it('residents: the citizen account’s claim carries the register reference', async () => {
    const context = await freshContext();
    const page = await context.newPage();
    await page.goto(`${apiUrl}/sign-in`);
    const request = await atProvider(page, 'erin', () => page.locator('a.govuk-button[href^="/auth/resident/login"]').click());
    expect(request.searchParams.get('code_challenge_method')).toBe('S256');
    await page.waitForURL(`${apiUrl}/`);
    await expect(page.locator('.council-bar__who').innerText()).resolves.toContain('TH-700002');
    await context.close();
  });

  it('residents: a code e-mailed through the SMTP server, typed into the page', async () => {
    const context = await freshContext();
    const page = await context.newPage();
    await page.goto(`${apiUrl}/sign-in`);
    await fieldOf(page, 'identifier').fill(EMAIL_RESIDENT.email);
    await page.locator('form[action="/sign-in/email"] button').click();
    await fieldOf(page, 'code').waitFor();
    expect({ violations: await axeOf(page, 'sign-in-code-en', incomplete) }).toEqual({ violations: [] });
    await screenshot(page, 'sign-in-code-en');
    const mail = await smtp.mailTo(EMAIL_RESIDENT.email);
    await fieldOf(page, 'code').fill(/(\d{6})/.exec(mail.subject)![1]);
    await page.locator('main form button.govuk-button').click();
    await page.waitForURL(`${apiUrl}/`);
    await expect(page.locator('.council-bar__who').innerText()).resolves.toContain(EMAIL_RESIDENT.reference);
    await context.close();
  });

  it('residents: the poll card’s reference and code', async () => {
    const context = await freshContext();
    const page = await context.newPage();
    await page.goto(`${apiUrl}/sign-in`);
    await fieldOf(page, 'pollReference').fill('th-700004');
    await fieldOf(page, 'pollCode').fill(cards.get('TH-700004')!.toLowerCase());
    await page.locator('form[action="/sign-in/poll-card"] button').click();
    await page.waitForURL(`${apiUrl}/`);
    await expect(page.locator('.council-bar__who').innerText()).resolves.toContain('TH-700004');
    await context.close();
  });

  it('at a kiosk: the countdown warns, gives more time, then returns to the start page (on a controlled clock)', async () => {
    const context = await freshContext();
    const page = await context.newPage();
    await page.clock.install();
    await signInAsStaff(page, apiUrl, 'reviewer', 'officer-1');
    await page.goto(`${apiUrl}/kiosk/start`);
    await fieldOf(page, 'place').fill('Idea Store Bow');
    await page.locator('main form button.govuk-button').click();
    await page.waitForURL(`${apiUrl}/kiosk`);
    expect({ violations: await axeOf(page, 'kiosk-start-page-en', incomplete) }).toEqual({ violations: [] });
    await fieldOf(page, 'pollReference').fill('TH-700005');
    await fieldOf(page, 'pollCode').fill(cards.get('TH-700005')!);
    await page.locator('main form button.govuk-button').click();
    await page.waitForURL((u) => u.pathname.endsWith('/vote'));
    const stay = page.locator('[data-timer-stay]');
    await expect(stay.isVisible()).resolves.toBe(false);
    await page.clock.runFor(95_000);
    await expect(page.locator('[data-timer-text]').innerText()).resolves.toMatch(/signed out in \d+ seconds/);
    expect({ violations: await axeOf(page, 'kiosk-countdown-en', incomplete) }).toEqual({ violations: [] });
    await stay.click();
    await stay.waitFor({ state: 'hidden' });
    await page.clock.runFor(95_000); // more time: still here
    expect(new URL(page.url()).pathname).toMatch(/\/vote$/);
    await page.clock.runFor(30_000);
    await page.waitForURL(`${apiUrl}/kiosk?expired=1`);
    await expect(page.locator('.council-bar__who').innerText()).resolves.toContain('not signed in');
    await context.close();
  });

  it.each(['en', 'bn'] as const)('axe finds no WCAG 2.2 AA violation on the sign-in pages (%s)', async (lang) => {
    const context = await freshContext(lang);
    const page = await context.newPage();
    for (const path of ['/sign-in', '/staff/sign-in']) {
      await page.goto(apiUrl + path);
      expect({ path, violations: await axeOf(page, `${path}-${lang}`, incomplete) }).toEqual({ path, violations: [] });
      await screenshot(page, `sign-in${path.replaceAll('/', '-')}-${lang}`);
    }
    await page.goto(`${apiUrl}/sign-in`);
    await page.locator('form[action="/sign-in/poll-card"] button').click();
    await page.locator('.govuk-error-summary').waitFor();
    expect({ violations: await axeOf(page, `sign-in-errors-${lang}`, incomplete) }).toEqual({ violations: [] });
    await context.close();
  });
});
