import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PABULIB_PROBLEMS } from '@civic/allocation';
import { IMPORT_MISMATCHES } from '@civic/application';
import { projectRoot } from '@civic/platform';
import { ASSEN_2024 as ASSEN, fundForAssen } from '../support/imported-election';
import { ok } from '../support/voting-fund';
import { errorSummary as summary, hidden, startWeb, WebClient } from './web-client';

async function staff(base: string, role: string, subject = `${role}-files`) {
  const client = new WebClient(base);
  await client.get('/staff/sign-in');
  expect((await client.post('/staff/sign-in', { role, subject, back: '/staff' })).status).toBe(303);
  await client.get('/staff');
  return client;
}

/** Posts a form with a file, as a browser without JavaScript does (multipart/form-data, the fields first). */
async function upload(client: WebClient, path: string, fields: Record<string, string>, file?: { name: string; text: string }) {
  const form = new FormData();
  form.append('_csrf', client.lastCsrf);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([file?.text ?? '']), file?.name ?? '');
  const res = await fetch(client.base + path, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

describe('the administrators’ file pages', () => {
  let api: Awaited<ReturnType<typeof startWeb>>;
  let admin: WebClient;

  beforeAll(async () => {
    api = await startWeb({ PERSONAL_DATA_EXPORTERS: 'dpo-files' });
    admin = await staff(api.url, 'administrator');
  }, 60_000);
  afterAll(() => api?.stop());

  it('imports a register file streamed without JavaScript, reports refused rows by their line, and takes chunks from the page’s script', async () => {
    const rows = Array.from({ length: 5_500 }, (_, i) => `TH-5${String(i).padStart(5, '0')},Mile End,1980-01-01`);
    rows[5_199] = 'TH-BAD-1,Mile End,not-a-date'; // in the second chunk: line 5,201 of the file
    const text = ['reference,ward,date_of_birth', ...rows].join('\r\n');
    const form = await admin.get('/admin/register');
    expect(form.text).toContain('enctype="multipart/form-data"');
    const commandId = hidden(form.text, 'commandId');

    const none = await upload(admin, '/admin/register/file', { commandId });
    expect(none.status).toBe(400);
    expect(summary(none.text)).toMatch(/^Choose the register\S+ CSV file$/);
    // The upload answers with its job's page, which shows the result once the import has finished.
    const finished = async (started: { headers: Headers }) => {
      const job = started.headers.get('location') ?? '';
      for (let tries = 0; tries < 10_000; tries++) if (JSON.parse((await admin.get(`${job}/progress`)).text).state !== 'running') break;
      return { page: await admin.get(job), report: await admin.get(`${job}/refused.csv`) };
    };
    const done = await finished(await upload(admin, '/admin/register/file', { commandId }, { name: 'register.csv', text }));
    expect(/id="result">([^<]*)/.exec(done.page.text)?.[1] ?? summary(done.page.text)).toBe('5,499 residents imported');
    expect(done.report.text).toMatch(/^5201,RESIDENT\.INVALID_DATE_OF_BIRTH/m);

    // The same form again (a retry): nothing is written twice.
    await finished(await upload(admin, '/admin/register/file', { commandId }, { name: 'register.csv', text }));
    const token = await api.signIn('administrator', 'a');
    expect(ok(await api.gql(`{ register(first: 1) { totalCount } }`, {}, token)).register.totalCount).toBe(5_499);

    // The page's script posts one chunk at a time and reads the answer as JSON.
    const chunk = await admin.post('/admin/register/chunk', {
      commandId,
      n: '9',
      firstLine: '20002',
      csv: 'reference,ward,date_of_birth\nTH-600001,Mile End,1980-01-01\nTH-600002,Mile End,yesterday',
    });
    expect(chunk.status).toBe(200);
    expect(JSON.parse(chunk.text)).toMatchObject({ imported: 1, refused: [{ line: 20003, code: 'RESIDENT.INVALID_DATE_OF_BIRTH' }] });
    const noHeader = await admin.post('/admin/register/chunk', { commandId, n: '0', firstLine: '2', csv: 'TH-1,Mile End,1980-01-01' });
    expect([noHeader.status, JSON.parse(noHeader.text).error]).toEqual([
      400,
      'The first line must be the header reference,ward,date_of_birth',
    ]);
  }, 120_000);

  it('imports a past election from a pabulib file: line-numbered errors write nothing, then projects and votes with the digest', async () => {
    const token = await api.signIn('administrator', 'admin-files');
    const { election, fundId, potId, phase } = await fundForAssen(api, token);
    await phase('openProposals');
    await phase('startReview');
    const path = `/admin/funds/${fundId}/pots/${potId}/import`;
    const page = await admin.get(path);
    expect(page.text).toContain('this imports the file');
    const commandId = hidden(page.text, 'commandId');

    const broken = await upload(admin, path, { commandId }, { name: 'x.pb', text: ASSEN.replace(/\nPROJECTS\r?\n/, '\nPROJECTZ\n') });
    expect(broken.status).toBe(400);
    expect(summary(broken.text)).toMatch(/^The file is not valid pabulib, line \d+: /);
    const count = async () =>
      ok(await api.gql(`query($p: ID!) { proposals(potId: $p, first: 1) { totalCount } }`, { p: potId })).proposals.totalCount;
    expect(await count()).toBe(0);

    // The same refusal on a Bengali page: the problem in Bengali, the line in Bengali digits, nothing written.
    const bengali = await staff(api.url, 'administrator', 'admin-files-bn');
    await bengali.get(`/language?to=bn&back=${encodeURIComponent(path)}`);
    const bnPage = await bengali.get(path);
    const unknown = `${ASSEN.trimEnd()}\r\nvoter-x;999\r\n`;
    const bnBroken = await upload(bengali, path, { commandId: hidden(bnPage.text, 'commandId') }, { name: 'x.pb', text: unknown });
    expect(bnBroken.status).toBe(400);
    expect(summary(bnBroken.text)).toBe('ফাইলটি বৈধ pabulib নয়, লাইন ১২০: ভোটে প্রকল্প “999”-এর নাম আছে, যা PROJECTS-এ নেই');
    expect(summary(bnBroken.text)).not.toMatch(/[0-9]{3}[^”]|unknown project/);
    const enBroken = await upload(admin, path, { commandId }, { name: 'x.pb', text: unknown });
    expect(summary(enBroken.text)).toBe('The file is not valid pabulib, line 120: the vote names project “999”, which is not in PROJECTS');
    expect(await count()).toBe(0);

    // A readable file that does not fit the pot: why, with its amounts, in the page's language.
    const otherBudget = ASSEN.replace(/\nbudget;[^\r\n]*/, '\nbudget;100001');
    const bnMismatch = await upload(bengali, path, { commandId: hidden(bnPage.text, 'commandId') }, { name: 'x.pb', text: otherBudget });
    expect(bnMismatch.status).toBe(400);
    expect(summary(bnMismatch.text)).toBe('ফাইলটি এই পটের সাথে মেলে না: ফাইলের বাজেট ১,০০,০০১£, কিন্তু পটের বাজেট ১,০০,০০০£');
    const enMismatch = await upload(admin, path, { commandId }, { name: 'x.pb', text: otherBudget });
    expect(summary(enMismatch.text)).toBe("The file does not fit this pot: the file's budget is £100,001 but the pot's budget is £100,000");
    expect(await count()).toBe(0);

    const projects = await upload(admin, path, { commandId }, { name: 'assen.pb', text: ASSEN });
    expect(projects.status).toBe(200);
    expect(projects.text).toContain('Projects imported');
    const digest = /<code class="council-digest">([0-9a-f]{64})<\/code>/.exec(projects.text)?.[1];
    expect(digest).toHaveLength(64);
    expect(await count()).toBe(election.projects.length);

    await phase('openVoting');
    const again = await admin.get(path);
    // The votes of another file than the one whose projects were imported: said in Bengali, nothing written.
    const otherFile = `${ASSEN.trimEnd()}\r\nvoter-x;1\r\n`;
    const bnFirst = await upload(
      bengali,
      path,
      { commandId: hidden((await bengali.get(path)).text, 'commandId') },
      { name: 'x.pb', text: otherFile },
    );
    expect(summary(bnFirst.text)).toBe(
      'ফাইলটি এই পটের সাথে মেলে না: আগে পর্যালোচনার সময় একই ফাইলের প্রকল্পগুলো আমদানি করুন: এর কিছু প্রকল্প পটের গৃহীত প্রস্তাব নয়',
    );
    const votes = await upload(admin, path, { commandId: hidden(again.text, 'commandId') }, { name: 'assen.pb', text: ASSEN });
    expect(votes.text).toContain('Votes imported');
    expect(votes.text).toContain(`<code class="council-digest">${digest}</code>`);
    const reviewer = await api.signIn('reviewer', 'officer-files');
    expect(ok(await api.gql(`query($p: ID!) { tally(potId: $p) { ballots } }`, { p: potId }, reviewer)).tally.ballots).toBe(
      election.ballots.length,
    );

    // The printable ballot form of the pot, for a reviewer too; poll cards only with the personal-data permission.
    const reviewerPages = await staff(api.url, 'reviewer');
    const documents = await reviewerPages.get('/documents');
    expect(documents.text).toContain(`/documents/pots/${potId}/ballot-form`);
    expect(documents.text).not.toContain('/poll-cards');
    const pdf = await fetch(`${api.url}/documents/pots/${potId}/ballot-form`, {
      headers: { cookie: [...reviewerPages.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    await admin.get('/documents');
    const unconfirmed = await admin.post(`/documents/funds/${fundId}/poll-cards`, { format: 'csv' });
    expect(summary(unconfirmed.text)).toBe('Confirm that you understand what generating the poll cards does');
    const refused = await admin.post(`/documents/funds/${fundId}/poll-cards`, { format: 'csv', confirm: 'yes' });
    expect(summary(refused.text)).toMatch(/personal-data permission/);
    const dpo = await staff(api.url, 'administrator', 'dpo-files');
    await dpo.get('/documents');
    const csv = await dpo.post(`/documents/funds/${fundId}/poll-cards`, { format: 'csv', confirm: 'yes' });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text.split('\n')[0]).toBe('reference,name,address,fund,code');
  }, 120_000);

  it('says every problem a pabulib file can have, and every way it can fail to fit its pot, in English and in Bengali, naming the same values', () => {
    const catalogue = (lang: string, part: 'problems' | 'mismatches' | 'rules') =>
      JSON.parse(readFileSync(join(projectRoot(), 'apps', 'web', 'locales', lang, 'files.json'), 'utf8')).staffFiles.pabulib[
        part
      ] as Record<string, string>;
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    // The rules a vote can break are the refusals of the ballot check the import runs on each vote.
    const ballotCheck = readFileSync(join(projectRoot(), 'libs', 'domain', 'src', 'ballot', 'ballot-content.ts'), 'utf8');
    const rules = [...new Set([...ballotCheck.matchAll(/reject\(\s*'([A-Z_.]+)'/g)].map((m) => m[1]))];
    expect(rules).toContain('BALLOT.TOO_MANY_PICKS');
    const parts = [
      ['problems', [...PABULIB_PROBLEMS, 'VOTER_TWICE']],
      ['mismatches', IMPORT_MISMATCHES],
      ['rules', rules],
    ] as const;
    for (const [part, codes] of parts) {
      const [en, bn] = [catalogue('en', part), catalogue('bn', part)];
      for (const code of codes) {
        expect([code, typeof en[code], typeof bn[code]]).toEqual([code, 'string', 'string']);
        expect([code, placeholders(bn[code])]).toEqual([code, placeholders(en[code])]);
      }
    }
  });
});
