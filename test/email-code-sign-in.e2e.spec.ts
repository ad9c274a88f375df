import Database from 'better-sqlite3';
import type { SignInCodeStore } from '@civic/auth';
import { SignInOutbox } from '../apps/api/src/auth/email-code/sign-in-outbox';
import { SIGN_IN_CODES } from '../apps/api/src/tokens';
import { startApi } from './support/api-client';
import { SmtpInbox } from './support/smtp-inbox';

/**
 * Residents sign in with a code e-mailed to the address on the register, through a real SMTP
 * server (smtp-server, in process) that receives the mail the tests read.
 */
// Each start of the API takes seconds on a loaded machine.
jest.setTimeout(60_000);
type Api = Awaited<ReturnType<typeof startApi>>;
const codeOf = (res: { errors?: { extensions: { code: string } }[] }) => res.errors?.[0]?.extensions.code;
const minutes = (n: number) => n * 60_000;

const clock = { at: Date.UTC(2030, 4, 1, 9), now: () => clock.at };
const smtp = new SmtpInbox();
const mails = smtp.mails;

const RESIDENTS = [
  ['TH-900001', 'Bow East', '1980-01-01', 'Ann', '1 High St', 'ann@example.org'],
  ['TH-900002', 'Bow East', '1981-01-01', 'Ben', '2 High St', 'ben@example.org'],
  ['TH-900003', 'Bow West', '1982-01-01', 'Cat', '3 High St', 'cat@example.org'],
  ['TH-900004', 'Bow West', '1983-01-01', 'Dan', '4 High St', 'dan@example.org'],
];

let api: Api;
let outbox: SignInOutbox;
const env = () => ({
  RESIDENT_SIGN_IN_EMAIL_CODE: 'true',
  ...smtp.env(),
  SIGN_IN_CODE_PER_ADDRESS_PER_HOUR: '3',
  SIGN_IN_CODE_PER_CLIENT_PER_HOUR: '12',
  RATE_LIMIT_PER_MINUTE: '100000',
});

beforeAll(async () => {
  await smtp.start();
  api = await startApi(env(), { authClock: clock });
  outbox = api.app.get(SignInOutbox);
  const admin = await api.signIn('administrator', 'admin-1');
  const csv = ['reference,ward,date_of_birth,name,address,email', ...RESIDENTS.map((r) => r.join(','))].join('\n');
  const imported = await api.gql('mutation($csv: String!) { importRegister(csv: $csv) { imported } }', { csv }, admin);
  expect(imported.data.importRegister.imported).toBe(RESIDENTS.length);
});
afterAll(async () => {
  await api.stop();
  await smtp.stop();
});

/** A new hour: the rate limits' window starts again. */
const nextHour = () => (clock.at += minutes(61));

async function request(identifier: string) {
  return api.gql('mutation($i: String!) { requestSignInCode(identifier: $i) { challenge expiresAt } }', { i: identifier });
}
async function signInWith(challenge: string, code: string) {
  return api.gql('mutation($c: String!, $k: String!) { signInWithCode(challenge: $c, code: $k) { token subject role } }', {
    c: challenge,
    k: code,
  });
}
/** The code of the last mail to `address`, once the outbox has sent what it holds. */
async function codeMailedTo(address: string): Promise<string | undefined> {
  await outbox.settled();
  const mail = mails.filter((m) => m.to.includes(address)).at(-1);
  return mail ? /(\d{6})/.exec(mail.subject)?.[1] : undefined;
}
const wrongCodeFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('signing in with an e-mailed code', () => {
  it('mails a code to the address on the register; it signs the resident in once', async () => {
    const asked = await request('Ann@Example.org ');
    const code = await codeMailedTo('ann@example.org');
    expect(code).toMatch(/^\d{6}$/);
    const signedIn = await signInWith(asked.data.requestSignInCode.challenge, code!);
    expect(signedIn.data.signInWithCode).toMatchObject({ subject: 'TH-900001', role: 'resident' });
    const me = await api.gql('{ me { subject signedInWith } }', {}, signedIn.data.signInWithCode.token);
    expect(me.data.me).toEqual({ subject: 'TH-900001', signedInWith: 'email_code' });
    expect(codeOf(await signInWith(asked.data.requestSignInCode.challenge, code!))).toBe('AUTH.CODE_INVALID');
  });

  it('mails the code to the address on the register when the resident gives their reference', async () => {
    const asked = await request('TH-900002');
    const code = await codeMailedTo('ben@example.org');
    expect((await signInWith(asked.data.requestSignInCode.challenge, code!)).data.signInWithCode.subject).toBe('TH-900002');
  });

  it('a code fails after 10 minutes', async () => {
    const asked = await request('cat@example.org');
    const code = await codeMailedTo('cat@example.org');
    clock.at += minutes(10);
    expect(codeOf(await signInWith(asked.data.requestSignInCode.challenge, code!))).toBe('AUTH.CODE_EXPIRED');
  });

  it('five wrong tries lock the code, the right one included; an unknown address answers exactly the same way', async () => {
    nextHour();
    const known = await request('dan@example.org');
    const unknown = await request('nobody@example.org');
    const code = await codeMailedTo('dan@example.org');
    // The same answer: a challenge of the same shape, the same expiry.
    const shape = (r: typeof known) => ({ ...r.data.requestSignInCode, challenge: r.data.requestSignInCode.challenge.length });
    expect(shape(unknown)).toEqual(shape(known));
    expect(mails.some((m) => m.to.includes('nobody@example.org'))).toBe(false);
    const tries = async (challenge: string) => {
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push(codeOf(await signInWith(challenge, wrongCodeFor(code!))));
      codes.push(codeOf(await signInWith(challenge, code!)));
      return codes;
    };
    const expected = [
      'AUTH.CODE_INVALID',
      'AUTH.CODE_INVALID',
      'AUTH.CODE_INVALID',
      'AUTH.CODE_INVALID',
      'AUTH.CODE_LOCKED',
      'AUTH.CODE_LOCKED',
    ];
    expect(await tries(known.data.requestSignInCode.challenge)).toEqual(expected);
    expect(await tries(unknown.data.requestSignInCode.challenge)).toEqual(expected);
  });

  it('answers before anything is looked up or sent: the worker is held, the answers come, the mail follows', async () => {
    nextHour();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    outbox.beforeJob = () => held;
    try {
      const before = mails.length;
      const [known, unknown] = await Promise.all([request('ann@example.org'), request('someone@example.org')]);
      expect(known.data.requestSignInCode.challenge).toBeTruthy();
      expect(unknown.data.requestSignInCode.challenge).toBeTruthy();
      expect(mails.length).toBe(before);
      release();
      await outbox.settled();
      expect(mails.slice(before).map((m) => m.to)).toEqual([['ann@example.org']]);
    } finally {
      outbox.beforeJob = undefined;
      release();
    }
  });

  it('limits requests per address and per client, the same for an address on the register or not', async () => {
    nextHour();
    for (const address of ['ben@example.org', 'stranger@example.org']) {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(codeOf(await request(address)) ?? 'ok');
      expect(answers).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED']);
    }
    // 6 of this client's 12 are used (4th refusals do not count): 6 more pass, then it is refused.
    const more = [];
    for (let i = 0; i < 7; i++) more.push(codeOf(await request(`other-${i}@example.org`)) ?? 'ok');
    expect(more).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'RATE_LIMITED']);
  });

  it('an erased resident is no longer found by address: erasure removes their row of the index', async () => {
    nextHour();
    const file = `${api.dir}/personal-data-keys.sqlite`;
    const rows = () => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM resident_contacts').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    expect(rows()).toBe(4);
    const admin = await api.signIn('administrator', 'admin-1');
    const erased = await api.gql('mutation { eraseResident(reference: "TH-900003", reason: "asked") { done } }', {}, admin);
    expect(erased.data.eraseResident.done).toBe(true);
    expect(rows()).toBe(3);
    await outbox.settled();
    const before = mails.length;
    await request('cat@example.org');
    await request('TH-900003');
    await outbox.settled();
    expect(mails.length).toBe(before);
  });

  it('the worker outlives a store it could not read for a moment: its next turn sends the code', async () => {
    nextHour();
    const store = api.app.get<SignInCodeStore>(SIGN_IN_CODES);
    const claim = store.claimJobs.bind(store);
    let failures = 0;
    store.claimJobs = async (...args) => {
      if (failures++ === 0) throw new Error('connection terminated');
      return claim(...args);
    };
    try {
      const asked = await request('dan@example.org');
      const code = await codeMailedTo('dan@example.org');
      expect(failures).toBeGreaterThan(1);
      expect((await signInWith(asked.data.requestSignInCode.challenge, code!)).data.signInWithCode.subject).toBe('TH-900004');
    } finally {
      store.claimJobs = claim;
    }
  });

  it('the outbox survives a restart: a mail the SMTP server refused is sent after the next start', async () => {
    nextHour();
    smtp.refuse = true;
    const asked = await request('ben@example.org');
    const before = mails.length;
    await outbox.settled(); // tried once, refused: back in the queue for later
    expect(await api.app.get<SignInCodeStore>(SIGN_IN_CODES).pendingJobs()).toBe(1);
    expect(mails.length).toBe(before);
    await api.stop({ keepFiles: true });
    smtp.refuse = false;
    clock.at += minutes(1);
    api = await startApi(env(), { dir: api.dir, authClock: clock });
    outbox = api.app.get(SignInOutbox);
    const code = await codeMailedTo('ben@example.org');
    expect(mails.length).toBe(before + 1);
    expect((await signInWith(asked.data.requestSignInCode.challenge, code!)).data.signInWithCode.subject).toBe('TH-900002');
  });
});
