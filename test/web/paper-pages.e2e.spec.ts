import { isoToLocal } from '../../apps/web/src/routes/zoned-time';
import { enterBowBatch } from '../support/paper-batch';
import { ok, votingFund, type VotingFund } from '../support/voting-fund';
import { hidden, startWeb, WebClient } from './web-client';

/**
 * The paper and void pages as a browser without JavaScript uses them: the API's refusal of a
 * batch shown at its field with the sheets kept, the officer's language, a forged sheet, and a
 * ballot voided by the voter's reference.
 */
let api: Awaited<ReturnType<typeof startWeb>>;
let f: VotingFund;
let officer: WebClient;
const [A, B] = ['TH-530001', 'TH-530002'];

beforeAll(async () => {
  api = await startWeb();
  f = await votingFund(api, [A, B]);
  ok(
    await api.gql(
      `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position } }`,
      { f: f.fundId, p: f.potId, c: { proposalIds: [f.proposals[0]] } },
      f.tokens[A],
    ),
  );
  officer = new WebClient(api.url);
  await officer.get('/staff/sign-in');
  expect((await officer.post('/staff/sign-in', { role: 'reviewer', subject: 'officer-9', back: '/staff' })).status).toBe(303);
  await officer.get('/staff');
}, 120_000);
afterAll(() => api?.stop());

const newBatch = () => `/paper/funds/${f.fundId}/pots/${f.potId}/new`;
const header = (collectedAt: string) => ({
  officer: 'Officer Begum',
  location: 'Bow Community Centre',
  collectedAt,
  scanReference: 'SCAN-77',
  sheetsCounted: '1',
});
const batches = async () =>
  ok(await api.gql(`query($p: ID!) { paperBatches(potId: $p) { batchId } }`, { p: f.potId }, f.reviewer)).paperBatches as unknown[];
const ago = (ms: number) => isoToLocal(new Date(Date.now() - ms).toISOString(), 'Europe/London');

describe('entering a paper batch', () => {
  it('shows the API’s refusal of the batch at its field, and keeps the sheets entered', async () => {
    await officer.get(newBatch());
    const sheets = JSON.stringify([{ reference: B, marks: '1' }]);
    const res = await officer.post(newBatch(), { ...header(ago(20 * 86_400_000)), sheets, action: 'record', commandId: '' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="collectedAt-error"[^]*?Check the details of the batch: the time must be while voting was open/);
    expect(hidden(res.text, 'sheets')).toBe(sheets.replace(/"/g, '&quot;'));
    expect(await batches()).toEqual([]);
  });

  it('refuses a sheet of the form that no longer reads, and records nothing', async () => {
    const sheets = JSON.stringify([{ reference: B, marks: 'one, two' }]);
    const res = await officer.post(newBatch(), { ...header(ago(60_000)), sheets, action: 'record' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('A sheet in the list cannot be read');
    expect(await batches()).toEqual([]);
  });

  it('says what is missing in the officer’s language', async () => {
    await officer.get('/language?to=bn&back=/staff');
    await officer.get(newBatch());
    const res = await officer.post(newBatch(), { action: 'header' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('যে কর্মকর্তা ফর্মগুলো সংগ্রহ করেছেন তাঁর নাম লিখুন');
    expect(res.text).toContain('গোনা শিটের সংখ্যা লিখুন');
    await officer.get('/language?to=en&back=/staff');
  });
});

describe('voiding a ballot by the voter’s reference', () => {
  const byReference = (reference: string) => ({ by: 'reference', reference, pot: `${f.fundId}/${f.potId}` });

  it('says what voiding will do, voids it with the public reason, and refuses to void it twice', async () => {
    await officer.get('/void');
    const confirm = await officer.post('/void', byReference(A));
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('What voiding will do');
    const done = await officer.post('/void/confirm', {
      ...byReference(A),
      reason: 'Two ballots from one household (case 31)',
      commandId: hidden(confirm.text, 'commandId'),
    });
    expect(done.status).toBe(303);
    expect((await officer.follow(done)).text).toContain('Ballot voided');
    const log = await officer.get(`/funds/${f.fundId}/voided`);
    expect(log.text).toContain('Two ballots from one household (case 31)');
    const again = await officer.post('/void/confirm', { ...byReference(A), reason: 'Again' });
    expect(again.status).toBe(400);
    expect(again.text).toContain('The voter&#39;s ballot in this area was voided');
  });

  it('refuses a reference without a ballot, and a post without an area', async () => {
    const none = await officer.post('/void/confirm', { ...byReference(B), reason: 'Fraud' });
    expect(none.status).toBe(400);
    expect(none.text).toContain('This voter has no ballot to change here');
    const noPot = await officer.post('/void', { by: 'reference', reference: B, pot: '' });
    expect(noPot.status).toBe(400);
    expect(noPot.text).toContain('Choose the area');
  });
});

describe('correcting the details of a batch', () => {
  let batchUrl: string;

  beforeAll(async () => {
    batchUrl = `/paper/batches/${await enterBowBatch(api, f, 'SCAN-78', [{ reference: B, numbers: [999] }])}`;
  });

  it('records only what changed, with the reason, and refuses a correction that changes nothing', async () => {
    const form = await officer.get(`${batchUrl}/correct`);
    const fields = ['officer', 'location', 'collectedAt', 'scanReference', 'sheetsCounted', 'revision', 'commandId'];
    const current = Object.fromEntries(
      fields.map((n) => [n, hidden(form.text, n) || (new RegExp(`name="${n}"[^>]*value="([^"]*)"`).exec(form.text)?.[1] ?? '')]),
    );
    const unchanged = await officer.post(`${batchUrl}/correct`, { ...current, reason: 'Checked' });
    expect(unchanged.status).toBe(400);
    expect(unchanged.text).toContain('Change at least one detail of the batch');
    const done = await officer.post(`${batchUrl}/correct`, {
      ...current,
      location: 'Bow Idea Store',
      reason: 'The form names the Idea Store',
    });
    expect(done.status).toBe(303);
    const page = (await officer.follow(done)).text;
    expect(page).toContain('Paper batch from Bow Idea Store');
    expect(page).toMatch(/Corrections to the details[^]*?>\s*1\s*</);
    expect(page).toContain('No accepted project of this area has number 999');
    const history = ok(
      await api.gql(
        `{ auditLog(first: 500, streamCategory: "paperbatch") { events { type data } } }`,
        {},
        await api.signIn('auditor', 'a-1'),
      ),
    );
    const corrected = history.auditLog.events.filter((e: { type: string }) => e.type === 'PaperBatchCorrected');
    expect(corrected.map((e: { data: string }) => JSON.parse(e.data))).toEqual([
      expect.objectContaining({ corrections: { location: 'Bow Idea Store' }, reason: 'The form names the Idea Store' }),
    ]);
  });
});
