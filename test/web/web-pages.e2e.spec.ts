import { join } from 'node:path';
import Database from 'better-sqlite3';
import { receiptCode as receiptCodeOf } from '@civic/audit';
import { hidden, startWeb, WebClient } from './web-client';
import { buildWebWorld, type WebWorld } from './web-world';

let api: Awaited<ReturnType<typeof startWeb>>;
let world: WebWorld;

beforeAll(async () => {
  api = await startWeb();
  world = await buildWebWorld(api);
}, 60_000);
afterAll(() => api.stop());

const myBallot = async (reference: string, fundId: string, potId: string) =>
  (
    await api.gql(
      `query($f: ID!, $p: ID!) { myBallot(fundId: $f, potId: $p) { status proposalIds points { proposalId points } receipt { code hash } } }`,
      { f: fundId, p: potId },
      await api.signIn('resident', reference),
    )
  ).data.myBallot;

const signedIn = async (reference: string) => {
  const web = new WebClient(api.url);
  await web.signIn(reference);
  return web;
};

describe('residents’ pages without JavaScript (plain links and form posts)', () => {
  it('shows the borough’s funds with their phase and dates in plain words', async () => {
    const home = await new WebClient(api.url).get('/');
    expect(home.text).toContain('Borough Fund 2026');
    expect(home.text).toContain('Open for voting');
    expect(home.text).toMatch(/Voting closes on [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ at (\d{1,2}(:\d\d)?(am|pm)|midday|midnight)/);
    expect(home.text).toContain('Open for proposals');
    expect(home.text).toContain('Choose projects that together cost no more than £50,000.');
    const bn = await new WebClient(api.url).get('/', { 'accept-language': 'bn' });
    expect(bn.text).toMatch(/ভোট শেষ হবে .*[০-৯]/);
    expect(bn.text).toContain('৫০,০০০');
  });

  it('takes a proposal with the cost in Bengali digits, escapes hostile text, and keeps what was typed on an error', async () => {
    const web = await signedIn(world.residents[1]);
    const form = await web.get(`/funds/${world.proposing.fundId}/propose`);
    const commandId = hidden(form.text, 'commandId');
    const title = '<script>alert(1)</script>{{ 7*7 }} \u202Eevil';
    const fields = {
      commandId,
      title,
      summary: '<b>bold</b>',
      description: '{% raw %}x',
      estimatedCost: '৫,০০০',
      potId: world.proposing.wardPot,
      category: 'parks',
    };
    const tooLong = await web.post(`/funds/${world.proposing.fundId}/propose`, { ...fields, description: 'x'.repeat(10_001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('There is a problem');
    expect(tooLong.text).toContain('href="#description"');
    expect(tooLong.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}'); // kept as typed, escaped
    const overBudget = await web.post(`/funds/${world.proposing.fundId}/propose`, { ...fields, estimatedCost: '£25,000.50' });
    expect(overBudget.status).toBe(400);
    expect(overBudget.text).toContain('The cost is more than the area&#39;s whole budget');
    expect(overBudget.text).toMatch(/id="estimatedCost-error"/);
    expect(overBudget.text).toContain('value="£25,000.50"');
    const before = (await api.gql(`query($f: ID!) { proposals(fundId: $f) { totalCount } }`, { f: world.proposing.fundId })).data.proposals
      .totalCount;
    expect(before).toBe(0);
    const created = await web.post(`/funds/${world.proposing.fundId}/propose`, fields);
    expect(created.location).toMatch(/^\/proposals\/[^/]+\?created=1$/);
    // A double submit of the same form is a safe retry: one proposal.
    const again = await web.post(`/funds/${world.proposing.fundId}/propose`, fields);
    expect(again.location).toBe(created.location);
    const stored = (
      await api.gql(`query($f: ID!) { proposals(fundId: $f) { totalCount edges { node { title estimatedCost } } } }`, {
        f: world.proposing.fundId,
      })
    ).data.proposals;
    expect(stored).toEqual({ totalCount: 1, edges: [{ node: { title, estimatedCost: '500000' } }] });
    const page = await web.follow(created);
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).not.toContain('<b>bold</b>');
    expect(page.text).toContain('{{ 7*7 }}');
    expect(page.text).not.toContain('>49<');
    expect(page.text).toContain('Proposed');
    expect(page.text).toContain('Edit this proposal');
    // Edit, then withdraw; another resident sees no edit link and cannot open the edit page.
    const id = created.location.split('/')[2].split('?')[0];
    const edit = await web.get(`/proposals/${id}/edit`);
    const edited = await web.post(`/proposals/${id}/edit`, {
      ...fields,
      commandId: hidden(edit.text, 'commandId'),
      revision: hidden(edit.text, 'revision'),
      title: 'Bench by the market',
      estimatedCost: '5,000',
    });
    expect(edited.location).toBe(`/proposals/${id}?edited=1`);
    const other = await signedIn(world.residents[2]);
    expect((await other.get(`/proposals/${id}`)).text).not.toContain('Edit this proposal');
    expect((await other.get(`/proposals/${id}/edit`)).status).toBe(404);
    const confirm = await web.get(`/proposals/${id}/withdraw`);
    expect((await web.post(`/proposals/${id}/withdraw`, { commandId: hidden(confirm.text, 'commandId') })).location).toBe(
      `/proposals/${id}?withdrawn=1`,
    );
    const after = (await api.gql(`query($id: ID!) { proposal(id: $id) { title status history { type } } }`, { id })).data.proposal;
    expect(after).toEqual({
      title: 'Bench by the market',
      status: 'withdrawn',
      history: [{ type: 'ProposalSubmitted' }, { type: 'ProposalEdited' }, { type: 'ProposalWithdrawn' }],
    });
  });

  it('lists and filters the proposals of a pot', async () => {
    const web = new WebClient(api.url);
    const all = await web.get(`/funds/${world.voting.fundId}/proposals`);
    expect(all.text).toContain('7 proposals');
    const pot = await web.get(`/funds/${world.voting.fundId}/proposals?pot=${world.voting.approvalPot}`);
    expect(pot.text).toContain('3 proposals');
    const words = await web.get(`/funds/${world.voting.fundId}/proposals?search=football`);
    expect(words.text).toContain('1 proposals');
    expect(words.text).toContain('Youth football league');
  });

  it('refuses an over-budget knapsack ballot, naming the choice that went over and keeping the rest; nothing stored', async () => {
    const voter = world.residents[3];
    const web = await signedIn(voter);
    const k = world.voting.knapsack;
    // The choice named is the one that takes the total over in the page's (the resident's shuffled) order.
    const form = await web.get(`/funds/${world.voting.fundId}/pots/${world.voting.knapsackPot}/vote`);
    const three = ['Library late opening', 'Youth football league', 'Clean air monitors'];
    const last = [...three].sort((x, y) => form.text.indexOf(x) - form.text.indexOf(y))[2];
    const over = await web.post(`/funds/${world.voting.fundId}/pots/${world.voting.knapsackPot}/vote`, {
      choice: three.map((t) => k[t]),
    });
    expect(over.status).toBe(400);
    expect(over.text).toContain(`‘${last}’ takes your choices £10,000 over the budget of £50,000`);
    expect((over.text.match(/<input [^>]*name="choice"[^>]* checked/g) ?? []).length).toBe(3);
    // The same ballot forged straight to the submit step: refused there too, before the API.
    const forged = await web.post(`/funds/${world.voting.fundId}/pots/${world.voting.knapsackPot}/vote/submit`, {
      commandId: '0c9a2b1e-7c1d-4a8e-9f55-1b2c3d4e5f60',
      action: 'cast',
      choice: [k['Library late opening'], k['Youth football league'], k['Clean air monitors']],
    });
    expect(forged.status).toBe(400);
    expect(forged.text).toContain('over the budget');
    // A proposal of another fund's pot posted into this ballot.
    const otherPot = await web.post(`/funds/${world.voting.fundId}/pots/${world.voting.knapsackPot}/vote/submit`, {
      commandId: '0c9a2b1e-7c1d-4a8e-9f55-1b2c3d4e5f61',
      action: 'cast',
      choice: [world.other.proposals['Bow bandstand']],
    });
    expect(otherPot.status).toBe(400);
    expect(otherPot.text).toContain('One of your choices is not a project of this vote. Nothing was recorded.');
    expect(await myBallot(voter, world.voting.fundId, world.voting.knapsackPot)).toBeNull();
  });

  it('votes through review and confirmation, changes the vote (the latest counts), and checks the receipt', async () => {
    const voter = world.residents[4];
    const web = await signedIn(voter);
    const a = world.voting.approval;
    const base = `/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}/vote`;
    expect((await web.get(base)).text).toContain('0 of at most 2 chosen');
    const review = await web.post(base, { choice: [a['Play street'], a['Bench by the pond']] });
    expect(review.status).toBe(200);
    expect(review.text).toContain('Check your vote before sending it');
    const fields = {
      commandId: hidden(review.text, 'commandId'),
      action: hidden(review.text, 'action'),
      choice: [a['Play street'], a['Bench by the pond']],
    };
    const sent = await web.post(`${base}/submit`, fields);
    expect(sent.location).toBe(`${base}/done`);
    // A double submit of the review form is a safe retry: still one ballot, revision 0.
    expect((await web.post(`${base}/submit`, fields)).location).toBe(`${base}/done`);
    const done = await web.follow(sent);
    const code = /<p class="council-receipt" id="receipt-code">([0-9A-Z-]+)<\/p>/.exec(done.text)?.[1];
    const first = await myBallot(voter, world.voting.fundId, world.voting.approvalPot);
    expect(code).toBe(first.receipt.code);
    expect(done.text).toContain('The latest one counts');
    // Change the vote: the form starts from the ballot as cast.
    const change = await web.get(base);
    expect(change.text).toContain('You have already voted here');
    expect(change.text).toContain('2 of at most 2 chosen');
    const review2 = await web.post(base, { choice: [a['Bulb planting']] });
    expect(hidden(review2.text, 'action')).toBe('replace');
    await web.post(`${base}/submit`, { commandId: hidden(review2.text, 'commandId'), action: 'replace', choice: [a['Bulb planting']] });
    const latest = await myBallot(voter, world.voting.fundId, world.voting.approvalPot);
    expect(latest).toMatchObject({ status: 'counted', proposalIds: [a['Bulb planting']] });
    expect(latest.receipt.code).not.toBe(first.receipt.code);
    const tally = (
      await api.gql(
        `query($p: ID!) { tally(potId: $p) { ballots lines { proposalId supporters } } }`,
        { p: world.voting.approvalPot },
        world.reviewer,
      )
    ).data.tally;
    expect(tally.ballots).toBe(1);
    expect(tally.lines.filter((l: { supporters: number }) => l.supporters > 0)).toEqual([
      { proposalId: a['Bulb planting'], supporters: 1 },
    ]);
    // The receipts, checked by anyone without signing in: while voting is open both say only
    // "recorded" (saying the first was replaced would let a coercer check the voter obeyed).
    const stranger = new WebClient(api.url);
    for (const c of [latest.receipt.code, code!, latest.receipt.code.toLowerCase().replace(/-/g, ' ')]) {
      const checked = await stranger.get(`/receipt?code=${encodeURIComponent(c)}`);
      expect(checked.status).toBe(200);
      expect(checked.text).toContain('Recorded');
      expect(checked.text).not.toMatch(/Replaced|Counted/);
    }
    // A code that is well formed but no vote's, a mistyped one (its check character fails), and nonsense.
    expect((await stranger.get(`/receipt?code=${receiptCodeOf('00'.repeat(32))}`)).text).toContain('Not found');
    const typo = latest.receipt.code.slice(0, -1) + (latest.receipt.code.endsWith('0') ? '1' : '0');
    expect((await stranger.get(`/receipt?code=${typo}`)).status).toBe(400);
    expect((await web.get('/receipt?code=nonsense')).status).toBe(400);
  });

  it('takes cumulative points typed in Bengali digits and refuses too many points', async () => {
    const voter = world.residents[5];
    const web = await signedIn(voter);
    const p = world.points.proposals;
    const base = `/funds/${world.points.fundId}/pots/${world.points.pot}/vote`;
    const tooMany = await web.post(base, { [`points.${p['Homework club']}`]: '8', [`points.${p['Skate ramp']}`]: '5' });
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toContain('You can give at most 10 points in all');
    expect(tooMany.text).toContain('value="8"');
    const review = await web.post(base, { [`points.${p['Homework club']}`]: '৭', [`points.${p['Skate ramp']}`]: '3' });
    expect(review.text).toContain('7 points');
    await web.post(`${base}/submit`, {
      commandId: hidden(review.text, 'commandId'),
      action: 'cast',
      [`points.${p['Homework club']}`]: '7',
      [`points.${p['Skate ramp']}`]: '3',
    });
    expect((await myBallot(voter, world.points.fundId, world.points.pot)).points).toEqual(
      expect.arrayContaining([
        { proposalId: p['Homework club'], points: 7 },
        { proposalId: p['Skate ramp'], points: 3 },
      ]),
    );
  });

  it('shows no tally before publication, and after it the API’s results with a reason for each proposal', async () => {
    const web = new WebClient(api.url);
    const pending = await web.get(`/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}/results`);
    expect(pending.text).toContain('not published yet');
    expect(pending.text).not.toMatch(/\d+ (votes|points)|supporters|Funded|people voted/);
    const results = await web.get(`/funds/${world.published.fundId}/pots/${world.published.pot}/results`);
    const api_ = (await api.gql(`query($p: ID!) { results(potId: $p) { lines { proposalId funded } } }`, { p: world.published.pot })).data
      .results.lines;
    const names = Object.fromEntries(Object.entries(world.published.proposals).map(([t, id]) => [id, t]));
    const funded = api_.filter((l: { funded: boolean }) => l.funded).map((l: { proposalId: string }) => names[l.proposalId]);
    expect(funded).toContain('Community garden');
    const fundedList = results.text.slice(
      results.text.indexOf('Projects that will be funded'),
      results.text.indexOf('Votes and cost of each project'),
    );
    for (const title of Object.keys(world.published.proposals)) expect(fundedList.includes(title)).toBe(funded.includes(title));
    expect(results.text).toContain('6 people voted');
    expect(results.text).toMatch(/Funded\. With 4 votes it came 1 of 3 in the order of votes\. When its turn came £30,000 was left/);
    expect(results.text).toMatch(
      /Not funded\. With 2 votes it came 2 of 3 in the order of votes\. When its turn came only £10,000 was left, less than its cost of £15,000/,
    );
    expect(results.text).toMatch(/No\. \d+<\/span> <span class="council-user-text">Community garden/);
    const delivery = await web.get(`/funds/${world.published.fundId}/delivery`);
    expect(delivery.text).toContain('Contractor appointed');
    expect(delivery.text).toContain('Spent so far: £7,500 of the official cost of £20,000');
  });

  it('numbers each accepted proposal wherever a resident meets it, in Intl digits', async () => {
    const voter = world.residents[6];
    const web = await signedIn(voter);
    const a = world.voting.approval;
    const numbers = (
      await api.gql(`query($f: ID!) { proposals(fundId: $f, first: 100) { edges { node { id title number } } } }`, {
        f: world.voting.fundId,
      })
    ).data.proposals.edges.map((e: { node: { id: string; title: string; number: number } }) => e.node);
    const no = (title: string) => numbers.find((n: { title: string }) => n.title === title).number as number;
    expect(no('Play street')).toBeGreaterThan(0);
    const label = (title: string) => `No. ${no(title)}</span> <span class="council-user-text">${title}`;
    const list = await web.get(`/funds/${world.voting.fundId}/proposals`);
    expect(list.text).toContain(label('Play street'));
    const page = await web.get(`/proposals/${a['Play street']}`);
    expect(page.text).toContain(`No. ${no('Play street')}`);
    const base = `/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}/vote`;
    expect((await web.get(base)).text).toContain(label('Bench by the pond'));
    const review = await web.post(base, { choice: [a['Play street']] });
    expect(review.text).toContain(`Play street (No. ${no('Play street')})`);
    await web.post(`${base}/submit`, { commandId: hidden(review.text, 'commandId'), action: 'cast', choice: [a['Play street']] });
    expect((await web.get(`${base}/done`)).text).toContain(`Play street (No. ${no('Play street')})`);
    const bn = await web.get(`/funds/${world.voting.fundId}/proposals`, { 'accept-language': 'bn' });
    const bnDigits = String(no('Play street')).replace(/\d/g, (d) => '০১২৩৪৫৬৭৮৯'[Number(d)]);
    expect(bn.text).toContain(`নং ${bnDigits}</span>`);
  });

  it('says in words where a resident may vote and why not; refuses a forged post with the same words', async () => {
    const young = await signedIn('TH-899999');
    const base = `/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}/vote`;
    const page = await young.get(base);
    expect(page.text).toContain('You cannot vote here: you must be 16 or older to vote in this fund.');
    expect(page.text).not.toContain('name="choice"');
    const forged = await young.post(`${base}/submit`, {
      commandId: '0c9a2b1e-7c1d-4a8e-9f55-1b2c3d4e5f70',
      action: 'cast',
      choice: [world.voting.approval['Play street']],
    });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('you must be 16 or older');
    expect(await myBallot('TH-899999', world.voting.fundId, world.voting.approvalPot)).toBeNull();
    const bn = await young.get(base, { 'accept-language': 'bn' });
    expect(bn.text).toContain('বয়স অন্তত ১৬ বছর');
    // Another ward's pot, and someone not on the register.
    const resident = await signedIn(world.residents[7]);
    const other = await resident.get(`/funds/${world.other.fundId}/pots/${world.other.pot}/vote`);
    expect(other.text).toContain('this vote is only for people who live in Bow East');
    const forgedOther = await resident.post(`/funds/${world.other.fundId}/pots/${world.other.pot}/vote/submit`, {
      commandId: '0c9a2b1e-7c1d-4a8e-9f55-1b2c3d4e5f71',
      action: 'cast',
      choice: [world.other.proposals['Bow bandstand']],
    });
    expect(forgedOther.status).toBe(403);
    expect(forgedOther.text).toContain('this vote is only for people who live in Bow East');
    const stranger = await signedIn('TH-NOT-ON-REGISTER');
    expect((await stranger.get(base)).text).toContain('you are not on the council&#39;s register of residents');
    // The fund page lists every pot with the verdict.
    const fundPage = await resident.get(`/funds/${world.voting.fundId}/proposals`);
    expect(fundPage.text).toContain('Where you can vote');
    expect(fundPage.text).toMatch(/<strong>Mile End<\/strong>: You can vote here\./);
  });

  it('shuffles a pot for each resident, the same across reloads, errors and review', async () => {
    const order = (html: string) =>
      ['Library late opening', 'Youth football league', 'Clean air monitors', 'Murals on the canal'].sort(
        (x, y) => html.indexOf(x) - html.indexOf(y),
      );
    const base = `/funds/${world.voting.fundId}/pots/${world.voting.knapsackPot}/vote`;
    const seen = new Set<string>();
    for (const r of world.residents.slice(6, 12)) {
      const web = await signedIn(r);
      const first = order((await web.get(base)).text);
      expect(order((await web.get(base)).text)).toEqual(first);
      const error = await web.post(base, { choice: [] });
      expect(error.status).toBe(400);
      expect(order(error.text)).toEqual(first);
      seen.add(first.join('|'));
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it('explains the Method of Equal Shares in words, in English and Bengali', async () => {
    const path = `/funds/${world.shares.fundId}/pots/${world.shares.pot}/results`;
    const en = await new WebClient(api.url).get(path);
    expect(en.status).toBe(200);
    expect(en.text).toMatch(/Funded in round \d+\. Its \d+ supporters shared its cost of £[\d,]+ from their equal shares of the budget: /);
    expect(en.text).toMatch(/paid (£[\d,.]+ each|all they had left)/);
    expect(en.text).not.toMatch(/\[explain\./);
    const bn = await new WebClient(api.url).get(path, { 'accept-language': 'bn' });
    expect(bn.text).toMatch(/নম্বর রাউন্ডে অর্থায়ন পেয়েছে/);
    expect(bn.text).not.toMatch(/\[explain\.|Funded in round/);
  });

  it('signs out of the API too: the old API token is refused at once', async () => {
    const reference = world.residents[8];
    const web = await signedIn(reference);
    const db = new Database(join(api.dir, 'web-sessions.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT data FROM web_sessions ORDER BY created_at DESC').all() as { data: string }[];
    db.close();
    const token = rows.map((r) => JSON.parse(r.data).principal).find((p) => p?.subject === reference)?.apiToken as string;
    expect(token).toBeTruthy();
    expect((await api.gql(`{ me { subject } }`, {}, token)).data.me.subject).toBe(reference);
    const out = await web.post('/sign-out', {});
    expect(out.location).toBe('/?signedOut=1');
    const after = await api.gql(`{ me { subject } }`, {}, token);
    expect(after.errors?.[0]?.extensions.code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('filters proposals by ward and category without JavaScript', async () => {
    const web = new WebClient(api.url);
    const ward = await web.get(`/funds/${world.voting.fundId}/proposals?ward=Mile+End`);
    expect(ward.text).toContain('3 proposals');
    expect(ward.text).toContain('<option value="Mile End" selected>');
    const none = await web.get(`/funds/${world.voting.fundId}/proposals?category=youth`);
    expect(none.text).toContain('0 proposals');
    const parks = await web.get(`/funds/${world.voting.fundId}/proposals?category=parks&ward=Mile+End`);
    expect(parks.text).toContain('3 proposals');
  });
});
