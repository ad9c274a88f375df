import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi } from './support/api-client';
import { ok, votingFund } from './support/voting-fund';

/**
 * Printable documents through the API: poll-card letters (a PDF per fund, behind the
 * personal-data permission, each opening recorded) and a pot's paper ballot form, read back with
 * poppler's pdftotext.
 */
jest.setTimeout(90_000);
type Api = Awaited<ReturnType<typeof startApi>>;
const codeOf = (res: { errors?: { extensions: { code: string } }[] }) => res.errors?.[0]?.extensions.code;
const dir = mkdtempSync(join(tmpdir(), 'documents-e2e-'));
const textOf = (base64: string, name: string) => {
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
};

let api: Api;
let fund: Awaited<ReturnType<typeof votingFund>>;
const letters = (token: string) =>
  api.gql(
    `mutation($f: ID!) { generatePollCardLetters(fundId: $f) { residents document { filename contentType base64 pages } } }`,
    { f: fund.fundId },
    token,
  );
const opened = async () => {
  const auditor = await api.signIn('auditor', 'aud-1');
  const log = await api.gql('{ auditLog(first: 50, streamCategory: "pollCards") { events { type data metadata } } }', {}, auditor);
  return (log.data.auditLog.events as { type: string; data: string; metadata: string }[]).filter((e) => e.type === 'PersonalDataOpened');
};

beforeAll(async () => {
  api = await startApi({
    RESIDENT_SIGN_IN_POLL_CARD: 'true',
    PERSONAL_DATA_EXPORTERS: 'admin-1',
    PUBLIC_WEB_ADDRESS: 'https://vote.example.gov.uk',
    RATE_LIMIT_PER_MINUTE: '100000',
  });
  const admin = await api.signIn('administrator', 'admin-1');
  const csv = [
    'reference,ward,date_of_birth,name,address',
    'DC-000001,Mile End,1980-01-01,Rahima Begum,"12 Roman Road, London E3 5QR"',
  ].join('\n');
  ok(await api.gql('mutation($csv: String!) { importRegister(csv: $csv) { imported } }', { csv }, admin));
  fund = await votingFund(api, ['DC-000002'], { ballot: { kind: 'knapsack' } });
});
afterAll(() => api.stop());

describe('poll-card letters', () => {
  it('are refused to an administrator without the personal-data permission, and nothing is recorded', async () => {
    expect(codeOf(await letters(await api.signIn('administrator', 'admin-2')))).toBe('AUTH.FORBIDDEN');
    expect(await opened()).toEqual([]);
  });

  it('give a PDF letter per verified resident with name, address, reference and a code that signs in; the opening is recorded', async () => {
    const res = ok(await letters(fund.admin)).generatePollCardLetters;
    expect(res).toMatchObject({
      residents: 2,
      document: { contentType: 'application/pdf', pages: 2, filename: 'poll-card-letters-mile-end-fund.pdf' },
    });
    const text = textOf(res.document.base64, 'letters.pdf')
      .split('\f')
      .find((page) => page.includes('DC-000001'))!;
    for (const part of ['Rahima Begum', '12 Roman Road', 'London E3 5QR', 'DC-000001', 'Mile End Fund', 'https://vote.example.gov.uk'])
      expect(text).toContain(part);
    const code = /Your voting code: ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})/.exec(text)![1];
    const signIn = await api.gql('mutation($r: String!, $c: String!) { signInWithPollCard(reference: $r, code: $c) { subject } }', {
      r: 'DC-000001',
      c: code,
    });
    expect(ok(signIn).signInWithPollCard.subject).toBe('DC-000001');
    const [event] = await opened();
    expect(JSON.parse(event.data)).toMatchObject({ purpose: 'poll-card-letters', fundId: fund.fundId, residents: 2 });
    expect(JSON.parse(event.metadata)).toMatchObject({ actorRole: 'administrator', actorId: 'admin-1' });
  });
});

describe('paper ballot forms', () => {
  it('give a pot’s accepted proposals by number and title with their official costs and the rules in words, in English and Bengali', async () => {
    const form = ok(
      await api.gql(`query($p: ID!) { ballotForm(potId: $p) { filename pages base64 } }`, { p: fund.potId }, fund.reviewer),
    ).ballotForm;
    expect(form.filename).toBe('ballot-mile-end-fund-mile-end.pdf');
    expect(form.pages).toBe(2);
    const text = textOf(form.base64, 'ballot.pdf').replace(/\s+/g, ' ');
    expect(text).toContain('Paper ballot: Mile End');
    expect(text).toMatch(/1 Playground .*2 Benches .*3 Murals/);
    expect(text).toContain('£10,000');
    expect(text).toContain('the budget of £50,000');
    expect(text).toContain('১০,০০০£');
  });

  it('is not for residents, and an unknown pot is NOT_FOUND', async () => {
    const resident = await api.signIn('resident', 'DC-000001');
    expect(codeOf(await api.gql(`query($p: ID!) { ballotForm(potId: $p) { filename } }`, { p: fund.potId }, resident))).toBe(
      'AUTH.FORBIDDEN',
    );
    expect(codeOf(await api.gql(`{ ballotForm(potId: "00000000-0000-4000-8000-000000000000") { filename } }`, {}, fund.admin))).toBe(
      'NOT_FOUND',
    );
  });
});
