import { hidden, startWeb, WebClient } from './web-client';
import { ok, reviewFund, type ReviewWorld } from './review-world';
import { buildWebWorld, type WebWorld } from './web-world';

let api: Awaited<ReturnType<typeof startWeb>>;
let world: WebWorld;
let review: ReviewWorld;
beforeAll(async () => {
  api = await startWeb();
  world = await buildWebWorld(api, 4);
  review = await reviewFund(api, world);
}, 90_000);
afterAll(() => api.stop());

const asStaff = async (role: string) => {
  const web = new WebClient(api.url);
  await web.get('/staff/sign-in');
  const res = await web.post('/staff/sign-in', { role, subject: `${role}-pages`, back: '/staff' });
  expect(res.status).toBe(303);
  await web.get('/staff');
  return web;
};
const proposal = async (id: string) =>
  ok(await api.gql(`query($id: ID!) { proposal(id: $id) { status number officialCost rejectReason mergedInto } }`, { id })).proposal;

/** A batch of paper forms entered through the API by an officer, in a pot of the voting fund. */
const enterPaperBatch = async (token: string, potId: string, scanReference: string, entries: object[]) =>
  ok(
    await api.gql(
      `mutation($i: PaperBatchInput!) { enterPaperBatch(input: $i) { batchId } }`,
      {
        i: {
          fundId: world.voting.fundId,
          potId,
          officer: 'Officer Begum',
          location: 'Idea Store Whitechapel',
          collectedAt: new Date().toISOString(),
          scanReference,
          entries,
        },
      },
      token,
    ),
  );

const queue = () => `/review/funds/${review.fundId}/pots/${review.pot}`;

describe('the review queue', () => {
  it('lists a pot’s proposals waiting for review with title, ward and estimated cost, and is on the staff menu of reviewers', async () => {
    const web = await asStaff('reviewer');
    expect((await web.get('/staff')).text).toContain('href="/review"');
    const list = await web.get('/review');
    expect(list.text).toContain('Review Fund 2027');
    const page = await web.get(queue());
    expect(page.status).toBe(200);
    expect(page.text).toContain('Pond dipping platform');
    expect(page.text).toContain('Mile End');
    expect(page.text).toContain('£5,000');
    expect(page.text).not.toContain('Borough tree trail');
    const bn = await web.get(queue(), { 'accept-language': 'bn' });
    expect(bn.text).toContain('৫,০০০');
  });

  it('accepts with the official cost in pounds, gives the proposal its number and shows it', async () => {
    const web = await asStaff('reviewer');
    const page = await web.get(queue());
    const id = review.ids['Pond dipping platform'];
    const url = `${queue()}/proposals/${id}/accept`;
    const bad = await web.post(url, { commandId: hidden(page.text, 'commandId'), officialCost: 'lots' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain(`href="#officialCost-${id}"`);
    expect(bad.text).toContain('value="lots"');
    expect((await proposal(id)).status).toBe('submitted');
    const empty = await web.post(url, { commandId: hidden(page.text, 'commandId'), officialCost: '' });
    expect(empty.status).toBe(400);
    const res = await web.post(url, { commandId: hidden(page.text, 'commandId'), officialCost: '£6,250.50' });
    expect(res.status).toBe(303);
    const stored = await proposal(id);
    expect(stored).toMatchObject({ status: 'accepted', officialCost: '625050' });
    expect(stored.number).toEqual(expect.any(Number));
    const after = await web.follow(res);
    expect(after.text).toContain(`${stored.number} · Pond dipping platform`);
    expect(after.text).toContain('£6,250.50');
  });

  it('rejects with a reason from the list or a written one, and refuses an empty reason', async () => {
    const web = await asStaff('councillor');
    const page = await web.get(queue());
    const id = review.ids['Ice rink on the roof'];
    const url = `${queue()}/proposals/${id}/reject`;
    const none = await web.post(url, { commandId: hidden(page.text, 'commandId'), reason: '' });
    expect(none.status).toBe(400);
    expect(none.text).toContain(`href="#reason-${id}"`);
    const noText = await web.post(url, { commandId: hidden(page.text, 'commandId'), reason: 'other', otherReason: '  ' });
    expect(noText.status).toBe(400);
    expect(noText.text).toContain(`href="#otherReason-${id}"`);
    const forged = await web.post(url, { commandId: hidden(page.text, 'commandId'), reason: 'made-up' });
    expect(forged.status).toBe(400);
    expect((await proposal(id)).status).toBe('submitted');
    const res = await web.post(url, {
      commandId: hidden(page.text, 'commandId'),
      reason: 'other',
      otherReason: 'The roof cannot carry it',
    });
    expect(res.status).toBe(303);
    expect(await proposal(id)).toMatchObject({ status: 'rejected', rejectReason: 'The roof cannot carry it' });
    const listed = await web.get(queue());
    expect(listed.text).toContain('The roof cannot carry it');
  });

  it('merges duplicates after showing both side by side and asking which carries on', async () => {
    const web = await asStaff('reviewer');
    const [a, b] = [review.ids['New benches'], review.ids['Benches for the park']];
    const compare = await web.get(`${queue()}/merge?a=${a}&b=${b}`);
    expect(compare.status).toBe(200);
    expect(compare.text).toContain('New benches, in detail.');
    expect(compare.text).toContain('Benches for the park, in detail.');
    const noChoice = await web.post(`${queue()}/merge`, { commandId: hidden(compare.text, 'commandId'), a, b });
    expect(noChoice.status).toBe(400);
    expect(noChoice.text).toContain('href="#survivor"');
    expect((await proposal(b)).status).toBe('submitted');
    const res = await web.post(`${queue()}/merge`, { commandId: hidden(compare.text, 'commandId'), a, b, survivor: a });
    expect(res.status).toBe(303);
    expect(await proposal(b)).toMatchObject({ status: 'merged', mergedInto: a });
    expect((await web.follow(res)).text).toContain('merged into New benches');
  });

  it('refuses a forged proposal of another pot in any form, storing nothing', async () => {
    const web = await asStaff('reviewer');
    const page = await web.get(queue());
    const foreign = review.ids['Borough tree trail'];
    const accept = await web.post(`${queue()}/proposals/${foreign}/accept`, {
      commandId: hidden(page.text, 'commandId'),
      officialCost: '100',
    });
    expect(accept.status).toBe(404);
    const reject = await web.post(`${queue()}/proposals/${foreign}/reject`, {
      commandId: hidden(page.text, 'commandId'),
      reason: 'duplicate',
    });
    expect(reject.status).toBe(404);
    const merge = await web.post(`${queue()}/merge`, {
      commandId: hidden(page.text, 'commandId'),
      a: review.ids['New benches'],
      b: foreign,
      survivor: review.ids['New benches'],
    });
    expect(merge.status).toBe(404);
    expect((await web.get(`${queue()}/merge?a=${review.ids['New benches']}&b=${foreign}`)).status).toBe(404);
    expect((await proposal(foreign)).status).toBe('submitted');
  });

  it('answers 403 to the wrong roles and stores nothing', async () => {
    const id = review.ids['Borough tree trail'];
    const url = `/review/funds/${review.fundId}/pots/${review.otherPot}/proposals/${id}/accept`;
    for (const role of ['administrator', 'auditor']) {
      const web = await asStaff(role);
      expect((await web.get(queue())).status).toBe(403);
      const res = await web.post(url, { commandId: '0190a000-0000-7000-8000-000000000001', officialCost: '100' });
      expect(res.status).toBe(403);
    }
    const resident = new WebClient(api.url);
    await resident.signIn(world.residents[1]);
    expect((await resident.post(url, { commandId: '0190a000-0000-7000-8000-000000000002', officialCost: '100' })).status).toBe(403);
    expect((await proposal(id)).status).toBe('submitted');
  });

  it('refuses a form without its CSRF token', async () => {
    const web = await asStaff('reviewer');
    const id = review.ids['Borough tree trail'];
    const res = await web.post(
      `/review/funds/${review.fundId}/pots/${review.otherPot}/proposals/${id}/accept`,
      { officialCost: '100' },
      { csrf: null as never },
    );
    expect(res.status).toBe(403);
    expect((await proposal(id)).status).toBe('submitted');
  });
});

describe('the live tally', () => {
  it('shows each project’s ballots as a table and bars, and turnout by area and channel, to staff', async () => {
    const web = await asStaff('councillor');
    const url = `/tally/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}`;
    const before = await web.get(url);
    expect(before.status).toBe(200);
    expect(before.text).toContain('Play street');
    expect(before.text).toMatch(/\d+ · Play street/);
    expect(before.text).toContain('<svg class="council-bars"');
    expect(before.text).toContain('Turnout by area and channel');
    const token = await api.signIn('resident', world.residents[2]);
    ok(
      await api.gql(
        `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position } }`,
        { f: world.voting.fundId, p: world.voting.approvalPot, c: { proposalIds: [world.voting.approval['Play street']] } },
        token,
      ),
    );
    const after = await web.get(url);
    const row = /data-proposal="[^"]+">\s*<th[^>]*>\d+ · Play street<\/th>\s*<td[^>]*>(\d+)<\/td>/.exec(after.text);
    expect(Number(row?.[1])).toBeGreaterThanOrEqual(1);
    expect(after.text).not.toContain(world.residents[2]);
    const bn = await web.get(url, { 'accept-language': 'bn' });
    expect(bn.text).toContain('এলাকা ও মাধ্যম অনুযায়ী ভোটদান');
  });

  it('without JavaScript, turnout is a plain table: every pot of the fund by channel, the same counts as the API, in English and Bengali', async () => {
    const web = await asStaff('reviewer');
    const url = `/tally/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}`;
    const reviewer = await api.signIn('reviewer', 'officer-turnout');
    await enterPaperBatch(reviewer, world.voting.knapsackPot, 'SCAN-TURNOUT-1', [
      { reference: world.residents[3], content: { proposalIds: [Object.values(world.voting.knapsack)[0]] } },
    ]);
    const turnout = ok(
      await api.gql(`query($f: ID!) { turnout(fundId: $f) { potId ballots online paper assisted } }`, { f: world.voting.fundId }, reviewer),
    ).turnout as { potId: string; ballots: number; online: number; paper: number; assisted: number }[];
    expect(turnout.find((t) => t.potId === world.voting.knapsackPot)?.paper).toBeGreaterThanOrEqual(1);
    const cells = (html: string, potId: string) => {
      const tr = new RegExp(`<tr[^>]*data-turnout="${potId}"[^>]*>([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
      return Object.fromEntries([...tr.matchAll(/data-channel="(\w+)">([^<]*)</g)].map((m) => [m[1], m[2]]));
    };
    const page = await web.get(url);
    expect(page.text).not.toContain(world.residents[3]);
    const bn = await web.get(url, { 'accept-language': 'bn' });
    const bengali = new Intl.NumberFormat('bn-BD');
    for (const t of turnout) {
      const counts = { online: t.online, paper: t.paper, assisted: t.assisted, ballots: t.ballots };
      expect(cells(page.text, t.potId)).toMatchObject(Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, String(v)])));
      expect(cells(bn.text, t.potId)).toMatchObject(Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, bengali.format(v)])));
    }
    expect(turnout).toHaveLength(2);
  });

  it('is refused to residents', async () => {
    const resident = new WebClient(api.url);
    await resident.signIn(world.residents[1]);
    expect((await resident.get(`/tally/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}`)).status).toBe(403);
  });
});

describe('paper batches', () => {
  it('lists every batch of a pot with forms entered, recorded and refused, and shows a discrepancy', async () => {
    const reviewer = await api.signIn('reviewer', 'officer-paper');
    const content = { proposalIds: [world.voting.approval['Bench by the pond']] };
    await enterPaperBatch(reviewer, world.voting.approvalPot, 'SCAN-2026-0042', [
      { reference: world.residents[3], content },
      { reference: 'TH-000000', content },
    ]);
    const web = await asStaff('reviewer');
    expect((await web.get('/staff')).text).toContain('href="/paper"');
    const page = await web.get(`/paper/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Idea Store Whitechapel');
    expect(page.text).toContain('SCAN-2026-0042');
    expect(page.text).toMatch(/Forms entered[\s\S]*<td[^>]*>2<\/td>\s*<td[^>]*>1<\/td>\s*<td[^>]*>1<\/td>/);
    expect(page.text).toContain('Forms refused');
    const resident = new WebClient(api.url);
    await resident.signIn(world.residents[1]);
    expect((await resident.get(`/paper/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}`)).status).toBe(403);
  });
});
