import { ImportRegisterCommand, ImportRegisterHandler } from '@civic/application';
import { ok } from '../support/voting-fund';
import { errorSummary as summary, hidden, startWeb, WebClient } from './web-client';

async function staff(base: string, role: string, subject: string, lang = 'en') {
  const client = new WebClient(base);
  await client.get('/staff/sign-in');
  expect((await client.post('/staff/sign-in', { role, subject, back: '/staff' })).status).toBe(303);
  if (lang !== 'en') await client.get(`/language?to=${lang}&back=/staff`);
  await client.get('/staff');
  return client;
}

/** Posts the register form with a file, as a browser without JavaScript does (multipart, the fields first). */
async function upload(client: WebClient, commandId: string, text: string) {
  const form = new FormData();
  form.append('_csrf', client.lastCsrf);
  form.append('commandId', commandId);
  form.append('file', new Blob([text]), 'register.csv');
  const res = await fetch(`${client.base}/admin/register/file`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  return { status: res.status, text: await res.text(), location: res.headers.get('location') ?? '' };
}

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};
const text = (html: string, id: string) => new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1].replace(/&#39;/g, "'").trim();

describe('a register uploaded without JavaScript, imported as a job on the server', () => {
  let api: Awaited<ReturnType<typeof startWeb>>;
  let admin: WebClient;
  const entered: ReturnType<typeof deferred>[] = [];
  const held = new Map<number, Promise<void>>();
  let calls = 0;

  beforeAll(async () => {
    api = await startWeb({ RATE_LIMIT_PER_MINUTE: '100000' });
    admin = await staff(api.url, 'administrator', 'registrar-1');
    // Each chunk is one importRegister: the test holds a chunk of its choosing before it is imported.
    const handler = api.app.get(ImportRegisterHandler);
    const execute = handler.execute.bind(handler);
    handler.execute = async (command: ImportRegisterCommand) => {
      const n = calls++;
      entered[n]?.resolve();
      await held.get(n);
      return execute(command);
    };
  }, 60_000);
  afterAll(() => api?.stop());

  it('answers at once with the job’s page, which follows the import to its result and the refused rows in the officer’s language', async () => {
    const rows = Array.from({ length: 12_001 }, (_, i) => `TH-J${String(i).padStart(6, '0')},Mile End,1980-01-01`);
    rows[1] = 'TH-JBAD-1,Mile End,not-a-date'; // line 3
    rows[11_000] = 'TH-JBAD-2,Mile End,1980-13-40'; // line 11,002, in the third chunk
    const file = ['reference,ward,date_of_birth', ...rows].join('\r\n') + '\r\n';
    const form = await admin.get('/admin/register');
    const commandId = hidden(form.text, 'commandId');
    entered.push(deferred(), deferred());
    const release = deferred();
    held.set(1, release.promise); // the second chunk waits until the test lets it go

    const started = await upload(admin, commandId, file);
    expect(started.status).toBe(303);
    expect(started.location).toMatch(/^\/admin\/register\/jobs\/[\w-]{22}$/);
    await entered[1].promise; // the first chunk is recorded, the second held

    const running = await admin.get(started.location);
    expect(running.status).toBe(200);
    expect(text(running.text, 'job-progress')).toBe('Importing: 5,000 of about 12,001 rows read, 1 refused');
    // Without JavaScript the page reloads itself; the officer can stop it, and start it again.
    expect(running.text).toContain('<noscript><meta http-equiv="refresh" content="10"></noscript>');
    expect(running.text).toContain(`href="${started.location}?refresh=off">Stop reloading this page</a>`);
    expect(running.text).toContain('the rows imported so far stay recorded');
    const still = await admin.get(`${started.location}?refresh=off`);
    expect(still.text).not.toContain('http-equiv="refresh"');
    expect(still.text).toContain(`href="${started.location}">Reload it every 10 seconds</a>`);
    // The page's script asks for the same line as JSON.
    const progress = await admin.get(`${started.location}/progress`);
    expect(JSON.parse(progress.text)).toEqual({
      state: 'running',
      rowsRead: 5000,
      expectedRows: 12_001,
      text: 'Importing: 5,000 of about 12,001 rows read, 1 refused',
    });
    // The same form sent again joins the running job.
    expect((await upload(admin, commandId, file)).location).toBe(started.location);

    // Another administrator with the address sees it, in Bengali; a reviewer does not; a wrong address is not known.
    const other = await staff(api.url, 'administrator', 'registrar-2', 'bn');
    expect(text((await other.get(started.location)).text, 'job-progress')).toBe(
      'আমদানি হচ্ছে: প্রায় ১২,০০১টি সারির মধ্যে ৫,০০০টি পড়া হয়েছে, ১টি বাতিল',
    );
    const reviewer = await staff(api.url, 'reviewer', 'reviewer-job');
    expect((await reviewer.get(started.location)).status).toBe(403);
    expect((await reviewer.get(`${started.location}/refused.csv`)).status).toBe(403);
    const unknown = await admin.get('/admin/register/jobs/AAAAAAAAAAAAAAAAAAAAAA');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('This import is not known');
    expect(unknown.text).toContain('upload the same file again');
    expect((await admin.get('/admin/register/jobs/AAAAAAAAAAAAAAAAAAAAAA/progress')).status).toBe(404);

    release.resolve();
    let state = 'running';
    for (let tries = 0; state === 'running' && tries < 10_000; tries++)
      state = JSON.parse((await admin.get(`${started.location}/progress`)).text).state;
    expect(state).toBe('done');
    const done = await admin.get(started.location);
    expect(done.text).not.toContain('http-equiv="refresh"');
    expect(text(done.text, 'result')).toBe('11,999 residents imported');
    expect(text(done.text, 'refused-count')).toBe('Rows refused: 2');
    const report = await admin.get(`${started.location}/refused.csv`);
    expect(report.headers.get('content-disposition')).toBe('attachment; filename="refused-rows.csv"');
    const lines = report.text.trimEnd().split('\n');
    expect(lines[0]).toBe('line,code,reason');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
      '3,RESIDENT.INVALID_DATE_OF_BIRTH',
      '11002,RESIDENT.INVALID_DATE_OF_BIRTH',
    ]);
    expect(lines[1]).not.toMatch(/[\u0980-\u09FF]/);
    // The report in the language of the officer who downloads it.
    expect((await other.get(`${started.location}/refused.csv`)).text.split('\n')[1]).toMatch(
      /^3,RESIDENT\.INVALID_DATE_OF_BIRTH,"[^"]*[\u0980-\u09FF]/,
    );
    const token = await api.signIn('administrator', 'registrar-api');
    expect(ok(await api.gql(`{ register(first: 1) { totalCount } }`, {}, token)).register.totalCount).toBe(11_999);

    // After a restart the job is forgotten; the same file sent again (a new form) records nothing twice.
    const again = await upload(
      other,
      hidden((await other.get('/admin/register')).text, 'commandId'),
      file.split('\r\n').slice(0, 41).join('\n'),
    );
    let retried = 'running';
    for (let tries = 0; retried === 'running' && tries < 10_000; tries++)
      retried = JSON.parse((await other.get(`${again.location}/progress`)).text).state;
    const retry = await other.get(again.location);
    expect(text(retry.text, 'result')).toBe('০ জন বাসিন্দা আমদানি হয়েছে');
    const retryReport = (await other.get(`${again.location}/refused.csv`)).text.trimEnd().split('\n');
    expect(retryReport).toHaveLength(41);
    expect(retryReport.filter((l) => l.includes(',RESIDENT.ALREADY_REGISTERED,'))).toHaveLength(39);
    expect(ok(await api.gql(`{ register(first: 1) { totalCount } }`, {}, token)).register.totalCount).toBe(11_999);
  }, 180_000);

  it('stops when the officer who started it signs out, says where, and keeps what was imported', async () => {
    const officer = await staff(api.url, 'administrator', 'registrar-leaving');
    const rows = Array.from({ length: 12_000 }, (_, i) => `TH-L${String(i).padStart(6, '0')},Mile End,1980-01-01`);
    const first = calls;
    entered[first + 1] = deferred();
    const release = deferred();
    held.set(first + 1, release.promise);
    const started = await upload(
      officer,
      hidden((await officer.get('/admin/register')).text, 'commandId'),
      ['reference,ward,date_of_birth', ...rows].join('\n'),
    );
    await entered[first + 1].promise;
    expect((await officer.post('/sign-out', {})).status).toBe(303);
    release.resolve();
    let state = 'running';
    for (let tries = 0; state === 'running' && tries < 10_000; tries++)
      state = JSON.parse((await admin.get(`${started.location}/progress`)).text).state;
    expect(state).toBe('stopped');
    const page = await admin.get(started.location);
    // The chunk held had passed the API's guard: it is recorded; the next one is refused.
    expect(text(page.text, 'result')).toBe('10,000 residents imported');
    expect(page.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toContain(
      'The import stopped at line 10,002; the rows before it are recorded. The officer who started it signed out, or their sign-in ended.',
    );
    expect(page.text).toContain('Upload the file again to import the rest');
  }, 120_000);

  it('refuses at once, writing nothing, a file without the header or with no rows', async () => {
    const form = await admin.get('/admin/register');
    const commandId = hidden(form.text, 'commandId');
    const noHeader = await upload(admin, commandId, 'TH-X1,Mile End,1980-01-01\n');
    expect([noHeader.status, summary(noHeader.text)]).toEqual([400, 'The first line must be the header reference,ward,date_of_birth']);
    const empty = await upload(admin, commandId, 'reference,ward,date_of_birth\n');
    expect(noHeader.text).toContain('enctype="multipart/form-data"');
    expect(empty.status).toBe(400);
  });
});
