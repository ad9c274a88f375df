import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isoToLocal, localToIso } from '../../apps/web/src/routes/zoned-time';
import { registerChunks, wardsFromCsv } from '../../apps/web/src/routes/admin.routes';
import { hidden, startWeb, WebClient } from './web-client';

const DAY = 86_400_000;
const WARDS_CSV = readFileSync('/work/shared/demo/wards.csv', 'utf8');
const local = (offsetDays: number) => isoToLocal(new Date(Date.now() + offsetDays * DAY).toISOString(), 'Europe/London');
/** Text as the page shows it (the entities Nunjucks escapes, decoded). */
const unescape = (html: string) =>
  html
    .replace(/&#10;/g, '\n')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
/** The text of the GOV.UK error message shown at a field. */
const errorAt = (html: string, field: string) => {
  const text = new RegExp(`id="${field}-error"[^>]*>\\s*<span class="govuk-visually-hidden">[^<]*</span>\\s*([^<]+)`)
    .exec(html)?.[1]
    ?.trim();
  return text === undefined
    ? `no error at ${field}: ${/govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? 'no summary'}`
    : unescape(text);
};
/** The value a summary list row shows. */
const shows = (html: string, text: string) => new RegExp(`<dd class="govuk-summary-list__value">\\s*${text}\\s*</dd>`).test(html);

async function staff(base: string, role: string) {
  const client = new WebClient(base);
  await client.get('/staff/sign-in');
  expect((await client.post('/staff/sign-in', { role, subject: `${role}-pages`, back: '/staff' })).status).toBe(303);
  await client.get('/staff');
  return client;
}

describe('the administrators’ pages', () => {
  let api: Awaited<ReturnType<typeof startWeb>>;
  let admin: WebClient;

  beforeAll(async () => {
    api = await startWeb();
    admin = await staff(api.url, 'administrator');
  }, 60_000);
  afterAll(() => api?.stop());

  it('lists the administrator’s tasks on the staff home page, and refuses every other role each admin page and post', async () => {
    const home = await admin.get('/staff');
    for (const href of ['/admin/funds', '/admin/wards', '/admin/register', '/admin/residents'])
      expect(home.text).toContain(`href="${href}"`);
    for (const role of ['reviewer', 'councillor', 'auditor']) {
      const other = await staff(api.url, role);
      expect((await other.get('/staff')).text).not.toContain('href="/admin/funds"');
      for (const path of ['/admin/funds', '/admin/funds/new', '/admin/wards', '/admin/register', '/admin/residents']) {
        expect([path, (await other.get(path)).status]).toEqual([path, 403]);
      }
      const post = await other.post('/admin/wards', { csv: 'ward\nForged', confirm: 'yes', commandId: '' });
      expect(post.status).toBe(403);
    }
    expect((await api.gql('{ wards }', {}, await api.signIn('administrator', 'a'))).data.wards).toEqual([]);
  });

  it('configures the wards from a CSV, showing what will change before saving', async () => {
    await admin.get('/admin/wards');
    const bad = await admin.post('/admin/wards', {
      csv: 'ward\nBow East\nBow East',
      commandId: hidden((await admin.get('/admin/wards')).text, 'commandId'),
    });
    expect(bad.status).toBe(400);
    expect(errorAt(bad.text, 'csv')).toBe('Line 3 repeats a ward given before');
    await admin.get('/admin/wards');
    const preview = await admin.post('/admin/wards', { csv: WARDS_CSV, commandId: '' });
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('The new list has 20 wards');
    expect(preview.text).toContain('Added: 20');
    expect(await api.gql('{ wards }', {})).toMatchObject({ data: { wards: [] } }); // nothing saved by the preview
    const saved = await admin.post('/admin/wards', {
      csv: unescape(hidden(preview.text, 'csv')),
      confirm: 'yes',
      commandId: hidden(preview.text, 'commandId'),
    });
    expect(saved.status).toBe(303);
    const page = await admin.follow(saved);
    expect(page.text).toContain('The wards were saved.');
    expect(page.text).toContain('Configured now: 20');
    // A second file that drops a ward and adds one shows both before anything changes.
    const next = await admin.post('/admin/wards', {
      csv: WARDS_CSV.replace('Mile End\n', '').replace(/\n?$/, '\nNew Ward\n'),
      commandId: '',
    });
    expect(next.text).toMatch(/id="added">\s*<li>New Ward<\/li>/);
    expect(next.text).toMatch(/id="removed">\s*<li>Mile End<\/li>/);
  });

  let fundId = '';

  it('sets up a fund: errors at their fields with what was typed kept, then the fund in draft', async () => {
    const form = await admin.get('/admin/funds/new');
    const commandId = hidden(form.text, 'commandId');
    const closes = local(10); // read once: the minute may turn between the post and the check
    const bad = await admin.post('/admin/funds/new', {
      commandId,
      name: '',
      description: 'Parks and streets',
      minimumAge: 'sixteen',
      proposalsOpenAt: 'tomorrow',
      reviewStartsAt: local(-2),
      votingOpensAt: local(-1),
      votingClosesAt: closes,
    });
    expect(bad.status).toBe(400);
    expect(errorAt(bad.text, 'name')).toBe('Enter the name of the fund');
    expect(errorAt(bad.text, 'minimumAge')).toMatch(/whole number/);
    expect(errorAt(bad.text, 'proposalsOpenAt')).toMatch(/Enter a date and time/);
    expect(bad.text).toContain('Parks and streets');
    expect(bad.text).toContain(`value="${closes}"`);
    expect(hidden(bad.text, 'commandId')).toBe(commandId);
    const outOfOrder = await admin.post('/admin/funds/new', {
      commandId,
      name: 'You Decide 2027',
      description: 'Parks and streets',
      minimumAge: '১৬',
      proposalsOpenAt: local(5),
      reviewStartsAt: local(-2),
      votingOpensAt: local(-1),
      votingClosesAt: local(10),
    });
    expect(outOfOrder.status).toBe(400);
    expect(outOfOrder.text).toMatch(/The dates must be in order/);
    const good = await admin.post('/admin/funds/new', {
      commandId: hidden(outOfOrder.text, 'commandId'),
      name: 'You Decide 2027',
      description: 'Parks and streets',
      minimumAge: '১৬',
      proposalsOpenAt: local(-3),
      reviewStartsAt: local(-2),
      votingOpensAt: local(-1),
      votingClosesAt: local(10),
    });
    expect(good.status).toBe(303);
    fundId = /\/admin\/funds\/([^?]+)/.exec(good.location)![1];
    const page = await admin.follow(good);
    expect(page.text).toContain('The fund was created in draft.');
    const fund = (await api.gql(`query($id: ID!) { fund(id: $id) { minimumAge schedule { votingClosesAt } phase } }`, { id: fundId })).data
      .fund;
    expect(fund).toMatchObject({ minimumAge: 16, phase: 'draft' });
    expect(isoToLocal(fund.schedule.votingClosesAt, 'Europe/London')).toBe(local(10));
    expect((await admin.get('/admin/funds')).text).toContain('You Decide 2027');
  });

  it('adds pots: a ward only from the configured wards, money as typed, limits checked, the rule explained', async () => {
    const form = await admin.get(`/admin/funds/${fundId}/pots/new`);
    expect(form.text).toContain('Method of Equal Shares, with completion');
    expect(form.text).toMatch(/spends their own share/);
    expect(form.text).toContain('<option value="Mile End"');
    const commandId = hidden(form.text, 'commandId');
    const forged = await admin.post(`/admin/funds/${fundId}/pots/new`, {
      commandId,
      name: 'Atlantis pot',
      scope: 'ward',
      ward: 'Atlantis',
      budget: '5,000',
      kind: 'approval',
      minPicks: '1',
      maxPicks: '3',
      rule: 'greedy_by_votes',
    });
    expect(forged.status).toBe(400);
    expect(errorAt(forged.text, 'ward')).toBe("Choose one of the borough's wards");
    expect(forged.text).toContain('value="Atlantis pot"');
    const limits = await admin.post(`/admin/funds/${fundId}/pots/new`, {
      commandId,
      name: 'Mile End',
      scope: 'ward',
      ward: 'Mile End',
      budget: 'five thousand',
      kind: 'approval',
      minPicks: '3',
      maxPicks: '2',
      rule: 'forged_rule',
    });
    expect(errorAt(limits.text, 'budget')).toMatch(/Enter the budget/);
    expect(errorAt(limits.text, 'maxPicks')).toMatch(/at least the fewest/);
    expect(errorAt(limits.text, 'rule')).toMatch(/Choose how the votes/);
    const ward = await admin.post(`/admin/funds/${fundId}/pots/new`, {
      commandId,
      name: 'Mile End',
      scope: 'ward',
      ward: 'Mile End',
      budget: '£5,000.50',
      kind: 'approval',
      minPicks: '1',
      maxPicks: '2',
      rule: 'equal_shares_with_completion',
    });
    expect(ward.status).toBe(303);
    const borough = await admin.post(`/admin/funds/${fundId}/pots/new`, {
      commandId: hidden((await admin.get(`/admin/funds/${fundId}/pots/new`)).text, 'commandId'),
      name: 'Borough-wide',
      scope: 'borough',
      budget: '৫০,০০০',
      kind: 'cumulative',
      points: '10',
      rule: 'greedy_by_votes',
    });
    expect(borough.status).toBe(303);
    const pots = (
      await api.gql(`query($id: ID!) { fund(id: $id) { pots { name ward budget rule ballot { kind maxPicks points } } } }`, { id: fundId })
    ).data.fund.pots;
    expect(pots).toEqual([
      {
        name: 'Mile End',
        ward: 'Mile End',
        budget: '500050',
        rule: 'equal_shares_with_completion',
        ballot: { kind: 'approval', maxPicks: 2, points: null },
      },
      {
        name: 'Borough-wide',
        ward: null,
        budget: '5000000',
        rule: 'greedy_by_votes',
        ballot: { kind: 'cumulative', maxPicks: null, points: 10 },
      },
    ]);
    const page = await admin.get(`/admin/funds/${fundId}`);
    expect(page.text).toContain('£5,000.50');
    expect(page.text).toContain('£50,000');
  });

  it('imports a register of 1,000 residents in chunks, with every refused row reported by its line in the file', () => {
    // The chunks keep the header, and the first row of each is named by its line in the whole file.
    const chunks = registerChunks(
      ['reference,ward,date_of_birth', 'A,Bow East,1980-01-01', 'B,Bow East,1980-01-01', 'C,Bow East,1980-01-01'].join('\n'),
      2,
    );
    expect(chunks).toEqual([
      { csv: 'reference,ward,date_of_birth\nA,Bow East,1980-01-01\nB,Bow East,1980-01-01', firstLine: 2, rows: 2 },
      { csv: 'reference,ward,date_of_birth\nC,Bow East,1980-01-01', firstLine: 4, rows: 1 },
    ]);
    expect(wardsFromCsv(WARDS_CSV)).toMatchObject({ wards: expect.arrayContaining(['Mile End']) });
  });

  it('imports the register through the page, and a retry of the same form writes nothing twice', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `TH-7${String(i).padStart(5, '0')},Mile End,1980-01-01`);
    rows[499] = 'TH-BAD-1,Mile End,not-a-date';
    rows[500] = ',Mile End,1980-01-01';
    const csv = ['reference,ward,date_of_birth', ...rows].join('\n');
    const form = await admin.get('/admin/register');
    const commandId = hidden(form.text, 'commandId');
    const noHeader = await admin.post('/admin/register', { csv: rows.join('\n'), commandId });
    expect(noHeader.status).toBe(400);
    expect(errorAt(noHeader.text, 'csv')).toMatch(/header/);
    const done = await admin.post('/admin/register', { csv, commandId });
    expect(done.status).toBe(200);
    expect(/id="result">([^<]*)/.exec(done.text)?.[1] ?? errorAt(done.text, 'csv')).toBe('998 residents imported');
    expect(done.text).toContain('Rows refused: 2');
    const report = decodeURIComponent(
      /id="report"|href="data:text\/csv;charset=utf-8,([^"]+)"/.exec(done.text.replace(/&amp;/g, '&'))?.[1] ?? '',
    );
    expect(report.split('\n')[0]).toBe('line,code,reason');
    expect(report).toMatch(/^501,RESIDENT\.INVALID_DATE_OF_BIRTH/m);
    expect(report).toMatch(/^502,RESIDENT\./m);
    const again = await admin.post('/admin/register', { csv, commandId });
    expect(again.text).toContain('Rows refused: 2');
    const page = (await api.gql(`{ register(first: 1) { totalCount } }`, {}, await api.signIn('administrator', 'a'))).data;
    expect(page.register.totalCount).toBe(998);
  });

  it('looks a resident up (status and ward, nothing personal), verifies, moves and erases with a confirmation step', async () => {
    await admin.get('/admin/residents');
    const empty = await admin.post('/admin/residents', { reference: '' });
    expect(errorAt(empty.text, 'reference')).toBe('Enter the register reference');
    const nobody = await admin.post('/admin/residents', { reference: 'TH-NOBODY' });
    expect(nobody.text).toContain('Not on the register');
    expect(nobody.text).not.toContain('/admin/residents/verify');
    const adminToken = await api.signIn('administrator', 'a');
    await api.gql(
      `mutation { registerResident(input: { reference: "TH-SELF-1", ward: "Mile End", dateOfBirth: "1980-01-01", name: "Ayesha Begum", email: "ayesha@example.org" }) { done } }`,
      {},
      adminToken,
    );
    const found = await admin.post('/admin/residents', { reference: 'TH-SELF-1' });
    expect(found.text).toContain('Registered, not verified');
    expect(found.text).toContain('Mile End');
    expect(found.text).not.toContain('Ayesha');
    expect(found.text).not.toContain('ayesha@example.org');
    const verified = await admin.post('/admin/residents/verify', { reference: 'TH-SELF-1', commandId: hidden(found.text, 'commandId') });
    expect(verified.text).toContain('The resident was verified.');
    expect(shows(verified.text, 'Verified')).toBe(true);
    const forgedWard = await admin.post('/admin/residents/move', {
      reference: 'TH-SELF-1',
      ward: 'Atlantis',
      commandId: hidden(verified.text, 'commandId'),
    });
    expect(forgedWard.status).toBe(400);
    expect(errorAt(forgedWard.text, 'ward')).toMatch(/Choose one of the borough/);
    const moved = await admin.post('/admin/residents/move', {
      reference: 'TH-SELF-1',
      ward: 'Bow East',
      commandId: hidden(verified.text, 'commandId'),
    });
    expect(moved.text).toContain('The resident was moved.');
    expect((await api.gql(`{ residentByReference(reference: "TH-SELF-1") { ward } }`, {}, adminToken)).data.residentByReference.ward).toBe(
      'Bow East',
    );
    const ask = await admin.post('/admin/residents/erase', { reference: 'TH-SELF-1' });
    expect(ask.text).toContain('can never be read again');
    expect(ask.text).toContain('Their ballots still count');
    const unconfirmed = await admin.post('/admin/residents/erase', {
      reference: 'TH-SELF-1',
      reason: 'CASE-1',
      step: 'confirm',
      commandId: hidden(ask.text, 'commandId'),
    });
    expect(unconfirmed.status).toBe(400);
    expect(errorAt(unconfirmed.text, 'confirm')).toMatch(/Tick the box/);
    expect(
      (await api.gql(`{ residentByReference(reference: "TH-SELF-1") { status } }`, {}, adminToken)).data.residentByReference.status,
    ).toBe('verified');
    const erased = await admin.post('/admin/residents/erase', {
      reference: 'TH-SELF-1',
      reason: 'CASE-1',
      step: 'confirm',
      confirm: 'yes',
      commandId: hidden(ask.text, 'commandId'),
    });
    expect(erased.text).toContain('personal data was erased');
    expect(shows(erased.text, 'Erased')).toBe(true);
  });

  it('changes phases one page at a time, extends voting with a recorded reason, and once voting has closed offers nothing to reopen it', async () => {
    for (const [change, phase] of [
      ['openProposals', 'proposals_open'],
      ['startReview', 'review'],
      ['openVoting', 'voting_open'],
    ] as const) {
      const page = await admin.get(`/admin/funds/${fundId}/phase`);
      expect(page.text).toContain(`name="change" value="${change}"`);
      // A form read in an earlier phase does not run the next change.
      const stale = await admin.post(`/admin/funds/${fundId}/phase`, { change: 'closeFund', commandId: hidden(page.text, 'commandId') });
      expect([stale.status, stale.location]).toEqual([400, '']);
      const done = await admin.post(`/admin/funds/${fundId}/phase`, { change, commandId: hidden(page.text, 'commandId') });
      expect([change, done.status, done.status === 303 ? '' : errorAt(done.text, 'confirm')]).toEqual([change, 303, '']);
      expect((await api.gql(`query($id: ID!) { fund(id: $id) { phase } }`, { id: fundId })).data.fund.phase).toBe(phase);
    }
    const openVoting = await admin.get(`/admin/funds/${fundId}`);
    expect(openVoting.text).toContain('Extend voting or close it early');
    const form = await admin.get(`/admin/funds/${fundId}/voting`);
    // Read once: the minute may turn between the post and the check.
    const later = local(12);
    const noReason = await admin.post(`/admin/funds/${fundId}/voting`, {
      action: 'extend',
      reason: ' ',
      votingClosesAt: later,
      commandId: hidden(form.text, 'commandId'),
    });
    expect(errorAt(noReason.text, 'reason')).toBe('Enter the reason for the change');
    expect(noReason.text).toContain(`value="${later}"`);
    const earlier = await admin.post(`/admin/funds/${fundId}/voting`, {
      action: 'extend',
      reason: 'Outage',
      votingClosesAt: local(5),
      commandId: hidden(form.text, 'commandId'),
    });
    expect(earlier.status).toBe(400);
    expect(errorAt(earlier.text, 'votingClosesAt')).toMatch(/The dates must be in order/);
    const extended = await admin.post(`/admin/funds/${fundId}/voting`, {
      action: 'extend',
      reason: 'Website outage on Tuesday',
      votingClosesAt: local(12),
      commandId: hidden(form.text, 'commandId'),
    });
    expect(extended.status).toBe(303);
    const listed = await admin.follow(extended);
    expect(listed.text).toMatch(/id="voting-changes">[\s\S]*extended from [\s\S]*Reason: Website outage on Tuesday/);
    const close = await admin.get(`/admin/funds/${fundId}/voting`);
    const closed = await admin.post(`/admin/funds/${fundId}/voting`, {
      action: 'closeEarly',
      reason: 'Fraud found at a polling place',
      commandId: hidden(close.text, 'commandId'),
    });
    expect(closed.status).toBe(303);
    const after = await admin.get(`/admin/funds/${fundId}/voting`);
    expect(after.text).toContain('Once voting has closed, nothing reopens it.');
    expect(after.text).not.toContain('name="action"');
    const forged = await admin.post(`/admin/funds/${fundId}/voting`, {
      action: 'extend',
      reason: 'Reopen',
      votingClosesAt: local(20),
      commandId: randomUUID(),
    });
    expect(forged.status).toBe(400);
    expect(forged.text).toMatch(/govuk-error-summary__list">[\s\S]*Once voting has closed, nothing reopens it\./);
    expect((await api.gql(`query($id: ID!) { fund(id: $id) { phase votingChanges { kind reason } } }`, { id: fundId })).data.fund).toEqual({
      phase: 'voting_closed',
      votingChanges: [
        { kind: 'extended', reason: 'Website outage on Tuesday' },
        { kind: 'closed_early', reason: 'Fraud found at a polling place' },
      ],
    });
  });

  it('reads and writes wall-clock times in the fund’s time zone, across the change of clocks', () => {
    expect(localToIso('2027-01-15T09:00', 'Europe/London')).toBe('2027-01-15T09:00:00.000Z');
    expect(localToIso('2027-07-15T09:00', 'Europe/London')).toBe('2027-07-15T08:00:00.000Z');
    expect(isoToLocal('2027-07-15T08:00:00.000Z', 'Europe/London')).toBe('2027-07-15T09:00');
    expect(localToIso('2027-02-30T09:00', 'Europe/London')).toBeUndefined();
    expect(localToIso('next week', 'Europe/London')).toBeUndefined();
  });
});
