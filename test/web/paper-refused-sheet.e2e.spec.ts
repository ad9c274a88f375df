import { acceptedNumbers, enterBowBatch } from '../support/paper-batch';
import { ok, votingFund, type VotingFund } from '../support/voting-fund';
import { errorSummary, hidden, startWeb, WebClient } from './web-client';

/**
 * An officer corrects a paper sheet that the voting rules refused, from the batch's
 * reconciliation, as a browser without JavaScript does: the page says why it was refused, a
 * correction refused again says why in the officer's language and leaves the sheet refused, a
 * good one records the sheet's ballot once with its reason, and sending the form twice records
 * nothing more.
 */
let api: Awaited<ReturnType<typeof startWeb>>;
let f: VotingFund;
const [A, B] = ['TH-560001', 'TH-560002'];
const MISTYPED = 'TH-569999';

async function officer(subject: string, lang?: 'bn') {
  const client = new WebClient(api.url);
  await client.get('/staff/sign-in');
  expect((await client.post('/staff/sign-in', { role: 'reviewer', subject, back: '/staff' })).status).toBe(303);
  if (lang) await client.get(`/language?to=${lang}&back=/staff`);
  await client.get('/staff');
  return client;
}

beforeAll(async () => {
  api = await startWeb();
  f = await votingFund(api, [A, B]);
}, 120_000);
afterAll(() => api?.stop());

it('corrects a refused sheet from the reconciliation: why it was refused, a refusal again in Bengali, then its ballot recorded once', async () => {
  const numbers = await acceptedNumbers(api, f.potId);
  const batchId = await enterBowBatch(api, f, 'SCAN-90', [
    { reference: MISTYPED, numbers: [numbers[0]] },
    { reference: A, numbers: [numbers[1]] },
  ]);
  const batchUrl = `/paper/batches/${batchId}`;
  const correctUrl = `${batchUrl}/entries/1/correct`;
  const ballots = async () =>
    ok(await api.gql(`query($p: ID!) { tally(potId: $p) { ballots paperBallots } }`, { p: f.potId }, f.reviewer)).tally;
  expect(await ballots()).toEqual({ ballots: 1, paperBallots: 1 });

  // The reconciliation offers to correct the refused sheet, and its page says why it was refused.
  const en = await officer('officer-sheet');
  const batch = await en.get(batchUrl);
  expect(batch.text).toContain(`href="${correctUrl}"`);
  expect(batch.text).toContain('If it was typed wrongly, correct it');
  const form = await en.get(correctUrl);
  expect(form.status).toBe(200);
  expect(form.text).toMatch(
    /id="refused-why">This sheet was refused: The voter may not vote in this area: not verified, not of its ward, or too young\.</,
  );

  // In Bengali: the voter of sheet 2 typed on sheet 1 is refused again, in Bengali, with a new form.
  const bn = await officer('officer-sheet-bn', 'bn');
  const bnForm = await bn.get(correctUrl);
  expect(bnForm.text).toContain('এই শিটটি প্রত্যাখ্যাত হয়েছিল: ভোটার এই এলাকায় ভোট দিতে পারেন না: যাচাই হয়নি, এর ওয়ার্ডের নন, বা বয়স কম।');
  const sent = hidden(bnForm.text, 'commandId');
  const again = await bn.post(correctUrl, { commandId: sent, reference: A, marks: String(numbers[0]), reason: 'রেফারেন্স ভুল পড়া হয়েছিল' });
  expect(again.status).toBe(400);
  expect(errorSummary(again.text)).toBe('ভোটার এই এলাকায় আগেই ভোট দিয়েছেন');
  expect(again.text).toContain('href="#reference"');
  expect(hidden(again.text, 'commandId')).not.toBe(sent);
  expect((await bn.get(batchUrl)).text).toContain('ভোটার এই এলাকায় আগেই ভোট দিয়েছেন');
  expect(await ballots()).toEqual({ ballots: 1, paperBallots: 1 });

  // Without a reason: refused before the API; then the sheet as written, with the reason.
  const noReason = await en.post(correctUrl, {
    commandId: hidden(form.text, 'commandId'),
    reference: B,
    marks: String(numbers[0]),
    reason: '',
  });
  expect(noReason.status).toBe(400);
  const commandId = hidden(noReason.text, 'commandId');
  const fields = { commandId, reference: B, marks: String(numbers[0]), reason: 'The reference was typed 569999 for 560002' };
  const done = await en.post(correctUrl, fields);
  expect([done.status, done.location]).toEqual([303, `${batchUrl}?done=entry`]);
  const after = (await en.follow(done)).text;
  const row = /<tr class="govuk-table__row" id="entry-1">([\s\S]*?)<\/tr>/.exec(after)?.[1] ?? '';
  expect(row).toContain('Corrected');
  expect(row).toContain('The reference was typed 569999 for 560002');
  expect(after).toMatch(/Refused\s*<\/dt>\s*<dd[^>]*>\s*0\s*</);
  expect(after).not.toContain(B);
  expect(await ballots()).toEqual({ ballots: 2, paperBallots: 2 });

  // The same form sent twice (a double click, a retry): the same answer, nothing more recorded.
  const twice = await en.post(correctUrl, fields);
  expect([twice.status, twice.location]).toEqual([303, `${batchUrl}?done=entry`]);
  const history = ok(
    await api.gql(`{ auditLog(first: 500, streamCategory: "ballot") { events { type } } }`, {}, await api.signIn('auditor', 'a-1')),
  ).auditLog.events.map((e: { type: string }) => e.type);
  expect(history).toEqual(['BallotCast', 'BallotCast']);
  expect(await ballots()).toEqual({ ballots: 2, paperBallots: 2 });
});
