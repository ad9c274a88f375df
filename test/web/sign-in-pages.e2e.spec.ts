import { join } from 'node:path';
import { SignInOutbox } from '../../apps/api/src/auth/email-code/sign-in-outbox';
import { openSchedule, startApi } from '../support/api-client';
import { startSmtpInbox } from '../support/smtp-inbox';
import { hidden, WebClient } from './web-client';

/**
 * The residents' sign-in pages with JavaScript off: an e-mailed code in two steps (through a
 * real SMTP server, smtp-server in process), the poll card's printed code, and each form's
 * errors in the resident's language at its field.
 */
jest.setTimeout(90_000);
type Api = Awaited<ReturnType<typeof startApi>>;
const clock = { at: Date.UTC(2030, 4, 1, 9), now: () => clock.at };
const minutes = (n: number) => n * 60_000;

let smtp: Awaited<ReturnType<typeof startSmtpInbox>>;
let api: Api;
let pollCards: Map<string, string>;

beforeAll(async () => {
  smtp = await startSmtpInbox();
  api = await startApi(
    {
      RESIDENT_SIGN_IN_EMAIL_CODE: 'true',
      RESIDENT_SIGN_IN_POLL_CARD: 'true',
      PERSONAL_DATA_EXPORTERS: 'admin-1',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      SMTP_REQUIRE_TLS: 'false',
      SMTP_FROM: 'Participatory budget <pb@council.example>',
      RATE_LIMIT_PER_MINUTE: '100000',
    },
    { authClock: clock, web: { extraLocaleDirs: [join(__dirname, '..', 'fixtures', 'rtl-locale')] } },
  );
  const admin = await api.signIn('administrator', 'admin-1');
  const csv = [
    'reference,ward,date_of_birth,name,address,email',
    'TH-910001,Bow East,1980-01-01,Ann,1 High St,ann@example.org',
    'TH-910002,Bow West,1981-01-01,Ben,2 High St,ben@example.org',
  ].join('\n');
  expect(
    (await api.gql('mutation($csv: String!) { importRegister(csv: $csv) { imported } }', { csv }, admin)).data.importRegister.imported,
  ).toBe(2);
  const fund = await api.gql(
    'mutation($input: CreateFundInput!) { createFund(input: $input) { fund { id } } }',
    { input: { name: 'Bow Fund 2030', description: 'D', schedule: openSchedule() } },
    admin,
  );
  const cards = await api.gql(`mutation($f: ID!) { generatePollCards(fundId: $f) { csv } }`, { f: fund.data.createFund.fund.id }, admin);
  const rows = (cards.data.generatePollCards.csv as string).trim().split('\n').slice(1);
  pollCards = new Map(rows.map((row) => [row.split(',')[0], /([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(row)![1]]));
});
afterAll(async () => {
  await api.stop();
  await smtp.close();
});

async function codeMailedTo(address: string): Promise<string> {
  await api.app.get(SignInOutbox).settled();
  return /(\d{6})/.exec(smtp.mails.filter((m) => m.to.includes(address)).at(-1)?.subject ?? '')?.[1] ?? '';
}
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
/** The message shown at a field (GOV.UK's error message under its label). */
const fieldError = (html: string, id: string) =>
  new RegExp(`id="${id}-error"[^>]*>\\s*<span class="govuk-visually-hidden">[^<]*</span>\\s*([^<]+)`).exec(html)?.[1].trim();

async function startEmailSignIn(web: WebClient, identifier: string, back = '/') {
  await web.get(`/sign-in?back=${encodeURIComponent(back)}`);
  const asked = await web.post('/sign-in/email', { identifier, back });
  expect(asked.status).toBe(200);
  return asked;
}

describe('the residents’ sign-in page', () => {
  it('offers each way the configuration switches on, and the development sign-in outside production', async () => {
    const page = await new WebClient(api.url).get('/sign-in');
    expect(page.text).toContain('action="/sign-in/email"');
    expect(page.text).toContain('action="/sign-in/poll-card"');
    expect(page.text).toContain('action="/sign-in"');
    // No citizen provider configured: no button to it.
    expect(page.text).not.toContain('/auth/resident/login');
  });

  it('e-mailed code: the code arrives, signs the resident in once with a new session id, back to the page they came from', async () => {
    const web = new WebClient(api.url);
    const asked = await startEmailSignIn(web, 'Ann@Example.org', '/proposals');
    expect(asked.text).toContain('Check your e-mail');
    const before = web.cookies.get('civic_session');
    const code = await codeMailedTo('ann@example.org');
    expect(code).toMatch(/^\d{6}$/);
    const challenge = hidden(asked.text, 'challenge');
    const done = await web.post('/sign-in/email/code', { challenge, code, back: '/proposals' });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/proposals');
    expect(web.cookies.get('civic_session')).toBeTruthy();
    expect(web.cookies.get('civic_session')).not.toBe(before);
    // Used once: a second browser sending the same code is refused at the field.
    const other = new WebClient(api.url);
    await other.get('/sign-in');
    const again = await other.post('/sign-in/email/code', { challenge, code, back: '/' });
    expect(again.status).toBe(400);
    expect(fieldError(again.text, 'code')).toBe('This code is not right: check it and try again');
  });

  it('answers an address not on the register exactly as one that is, and mails nothing', async () => {
    const web = new WebClient(api.url);
    const known = await startEmailSignIn(web, 'ben@example.org');
    const unknown = await startEmailSignIn(new WebClient(api.url), 'nobody@example.org');
    const strip = (html: string) => html.replace(/value="[^"]*"/g, '').replace(/nonce-[^'"]+|nonce="[^"]*"/g, '');
    expect(strip(unknown.text)).toBe(strip(known.text));
    await api.app.get(SignInOutbox).settled();
    expect(smtp.mails.some((m) => m.to.includes('nobody@example.org'))).toBe(false);
  });

  it('a code fails after 10 minutes, with a link to send a new one, in Bengali for a Bengali reader', async () => {
    const web = new WebClient(api.url);
    web.cookies.set('civic_lang', 'bn');
    const asked = await startEmailSignIn(web, 'TH-910002');
    const code = await codeMailedTo('ben@example.org');
    clock.at += minutes(10);
    const late = await web.post('/sign-in/email/code', { challenge: hidden(asked.text, 'challenge'), code, back: '/' });
    expect(late.status).toBe(400);
    expect(fieldError(late.text, 'code')).toBe('এই কোডের মেয়াদ শেষ: একটি নতুন কোড পাঠান');
    expect(late.text).toContain('href="/sign-in?back=%2F#email-code"');
    clock.at += minutes(61);
  });

  it('five wrong tries lock the code: the right one is then refused too', async () => {
    const web = new WebClient(api.url);
    const asked = await startEmailSignIn(web, 'ann@example.org');
    const code = await codeMailedTo('ann@example.org');
    const challenge = hidden(asked.text, 'challenge');
    const seen: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++)
      seen.push(fieldError((await web.post('/sign-in/email/code', { challenge, code: wrong(code), back: '/' })).text, 'code'));
    seen.push(fieldError((await web.post('/sign-in/email/code', { challenge, code, back: '/' })).text, 'code'));
    const locked = 'Too many wrong tries: this code no longer works. Send a new code, or wait an hour for the poll card';
    expect(seen.slice(0, 4).every((m) => m === 'This code is not right: check it and try again')).toBe(true);
    expect(seen.slice(4)).toEqual([locked, locked]);
    clock.at += minutes(61);
  });

  it('refuses empty and malformed fields at their field, before asking the API', async () => {
    const web = new WebClient(api.url);
    await web.get('/sign-in');
    const empty = await web.post('/sign-in/email', { identifier: ' ', back: '/' });
    expect(empty.status).toBe(400);
    expect(fieldError(empty.text, 'identifier')).toBe('Enter your e-mail address or register reference');
    expect(empty.text).toContain('href="#identifier"');
    const asked = await startEmailSignIn(web, 'ann@example.org');
    const short = await web.post('/sign-in/email/code', { challenge: hidden(asked.text, 'challenge'), code: '12a', back: '/' });
    expect(fieldError(short.text, 'code')).toBe('The code is six digits, like 123456');
    const noCard = await web.post('/sign-in/poll-card', { pollReference: '', pollCode: '', back: '/' });
    expect(fieldError(noCard.text, 'pollReference')).toBe('Enter your register reference');
    expect(fieldError(noCard.text, 'pollCode')).toBe('Enter the voting code from your poll card');
    clock.at += minutes(61);
  });

  it('poll card: the reference and the code, in any case and without dashes, sign the resident in; a wrong code is refused at its field', async () => {
    const web = new WebClient(api.url);
    await web.get('/sign-in');
    const card = pollCards.get('TH-910001')!;
    const bad = await web.post('/sign-in/poll-card', { pollReference: 'TH-910001', pollCode: 'AAAA-AAAA-AAAA-AAAA', back: '/' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.text, 'pollCode')).toBe('This code is not right: check it and try again');
    expect(bad.text).toContain('value="TH-910001"');
    const ok = await web.post('/sign-in/poll-card', {
      pollReference: 'TH-910001',
      pollCode: card.replaceAll('-', '').toLowerCase(),
      back: '/proposals',
    });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/proposals');
    const home = await web.get('/');
    expect(home.text).toContain('TH-910001');
  });

  it('an OpenID return without a code, or with the provider’s refusal, shows the refusal on the sign-in page', async () => {
    const web = new WebClient(api.url);
    const refused = await web.get('/sign-in/return?error=AUTH.NOT_REGISTERED&back=%2Fproposals');
    expect(refused.status).toBe(303);
    const page = await web.follow(refused);
    expect(page.text).toContain('Your account is not linked to a resident on the register');
    const forged = await web.get('/sign-in/return?signin=not-a-code');
    expect((await web.follow(forged)).text).toContain('This sign-in took too long or was already used: start again');
  });
});
