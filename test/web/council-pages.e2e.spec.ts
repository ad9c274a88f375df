import { ok, votingFund, type VotingFund } from '../support/voting-fund';
import { hidden, startWeb, WebClient } from './web-client';

const VOTERS = ['TH-420000', 'TH-420001', 'TH-420002'];

/**
 * The councillors' allocation pages, the delivery pages and the public voided-ballots log,
 * through HTTP form posts without JavaScript: good and bad input, forged fields, the wrong role
 * (403), and nothing recorded when a form is refused.
 */
describe('allocation, delivery and voided-ballot pages', () => {
  let api: Awaited<ReturnType<typeof startWeb>>;
  let fund: VotingFund;
  const staff: Record<string, WebClient> = {};
  let base: string;

  const draft = async () =>
    ok(
      await api.gql(
        `query($p: ID!) { draftAllocation(potId: $p) { status lines { proposalId title funded overridden reason } } }`,
        { p: fund.potId },
        fund.admin,
      ),
    ).draftAllocation;
  const delivery = async (proposalId: string) =>
    ok(
      await api.gql(
        `query($p: ID!) { delivery(proposalId: $p) { totalSpent spends { amount } milestones { title status } } }`,
        { p: proposalId },
        fund.admin,
      ),
    ).delivery;

  beforeAll(async () => {
    api = await startWeb();
    fund = await votingFund(api, VOTERS);
    const picks = [[0, 1], [0], [1]];
    for (const [i, reference] of VOTERS.entries())
      ok(
        await api.gql(
          `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position } }`,
          { f: fund.fundId, p: fund.potId, c: { proposalIds: picks[i].map((n) => fund.proposals[n]) } },
          fund.tokens[reference],
        ),
      );
    ok(
      await api.gql(
        `mutation($f: ID!, $p: ID!) { voidBallot(fundId: $f, potId: $p, reference: "TH-420002", reason: "Cast twice on paper and online") { __typename } }`,
        { f: fund.fundId, p: fund.potId },
        fund.reviewer,
      ),
    );
    ok(
      await api.gql(
        `mutation($f: ID!) { closeVotingEarly(fundId: $f, reason: "Count") { fund { phase } } }`,
        { f: fund.fundId },
        fund.admin,
      ),
    );
    for (const role of ['administrator', 'councillor', 'reviewer', 'auditor']) {
      const client = new WebClient(api.url);
      await client.get('/staff/sign-in');
      expect((await client.post('/staff/sign-in', { role, subject: `${role}-p`, back: '/staff' })).status).toBe(303);
      await client.get('/staff');
      staff[role] = client;
    }
    base = `/staff/allocation/${fund.fundId}/${fund.potId}`;
  }, 120_000);
  afterAll(() => api?.stop());

  it('lists the allocation and delivery tasks on the staff home for the roles the API allows', async () => {
    expect((await staff.councillor.get('/staff')).text).toContain('/staff/allocation');
    expect((await staff.reviewer.get('/staff')).text).toContain('/staff/delivery');
    expect((await staff.reviewer.get('/staff')).text).not.toContain('/staff/allocation');
    expect((await staff.auditor.get('/staff')).text).not.toContain('/staff/delivery');
  });

  it('computes only for the administrator, only once confirmed', async () => {
    expect((await staff.councillor.get(`${base}/compute`)).status).toBe(403);
    expect((await staff.reviewer.post(`${base}/compute`, { confirm: 'yes' })).status).toBe(403);
    const page = await staff.administrator.get(`${base}/compute`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('can be computed again only until it is ratified');
    const refused = await staff.administrator.post(`${base}/compute`, { commandId: hidden(page.text, 'commandId') });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Tick the box to confirm');
    expect((await draft()).status).toBe('none');
    const done = await staff.administrator.post(`${base}/compute`, { commandId: hidden(page.text, 'commandId'), confirm: 'yes' });
    expect(done.status).toBe(303);
    expect((await draft()).status).toBe('recorded');
  });

  it('shows the draft in words, by title and number and in pounds, in English and Bengali', async () => {
    const en = await staff.councillor.get(base);
    expect(en.status).toBe(200);
    expect(en.text).toMatch(/No\. \d+, Playground/);
    expect(en.text).toContain('£10,000');
    expect(en.text).toMatch(/It was number/);
    expect(en.text.replace(/href="[^"]*"/g, '')).not.toContain(fund.proposals[0]); // ids only in links, never as a name
    staff.councillor.cookies.set('civic_lang', 'bn');
    const bn = await staff.councillor.get(base);
    staff.councillor.cookies.set('civic_lang', 'en');
    expect(bn.text).toContain('নং');
    expect(bn.text).toContain('সমর্থনের ক্রমে');
  });

  it('overrides a line only with a reason, reads the decision from the draft (not from a forged field), only for councillors', async () => {
    const url = `${base}/override/${fund.proposals[0]}`;
    expect((await staff.administrator.get(url)).status).toBe(403);
    expect((await staff.reviewer.post(url, { reason: 'x' })).status).toBe(403);
    const page = await staff.councillor.get(url);
    expect(page.text).toContain('will take its funding away');
    const empty = await staff.councillor.post(url, { commandId: hidden(page.text, 'commandId'), reason: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter the reason for the override');
    expect((await draft()).lines.some((l: { overridden: boolean }) => l.overridden)).toBe(false);
    const done = await staff.councillor.post(url, {
      commandId: hidden(page.text, 'commandId'),
      reason: 'Site unavailable',
      funded: 'true',
    });
    expect(done.status).toBe(303);
    const line = (await draft()).lines.find((l: { proposalId: string }) => l.proposalId === fund.proposals[0]);
    expect(line).toMatchObject({ funded: false, overridden: true, reason: 'Site unavailable' });
    const shown = await staff.councillor.get(base);
    expect(shown.text).toContain('Overridden');
    expect(shown.text).toContain('A councillor overrode the rule&#39;s decision: Site unavailable');
  });

  it('ratifies and publishes with a confirmation each, councillors only, and refuses publishing twice', async () => {
    expect((await staff.administrator.post(`${base}/ratify`, { confirm: 'yes' })).status).toBe(403);
    const ratify = await staff.councillor.get(`${base}/ratify`);
    expect(ratify.text).toContain('no line can be overridden');
    expect((await staff.councillor.post(`${base}/ratify`, { commandId: hidden(ratify.text, 'commandId') })).status).toBe(400);
    expect((await draft()).status).toBe('recorded');
    expect((await staff.councillor.post(`${base}/ratify`, { commandId: hidden(ratify.text, 'commandId'), confirm: 'yes' })).status).toBe(
      303,
    );
    expect((await draft()).status).toBe('ratified');
    const publish = await staff.councillor.get(`${base}/publish`);
    expect(publish.text).toContain('Publishing is final');
    expect((await staff.councillor.post(`${base}/publish`, { commandId: hidden(publish.text, 'commandId'), confirm: 'yes' })).status).toBe(
      303,
    );
    expect((await draft()).status).toBe('published');
    const again = await staff.councillor.post(`${base}/publish`, { commandId: 'b5a3b1f4-0c1e-4b7e-9d7a-000000000001', confirm: 'yes' });
    expect(again.status).toBe(400);
    expect(again.text).toContain('already published');
  });

  it('reports spend past the official cost only with a reason, and the overview flags it', async () => {
    ok(await api.gql(`mutation($f: ID!) { publishResults(fundId: $f) { fund { phase } } }`, { f: fund.fundId }, fund.councillor));
    ok(await api.gql(`mutation($f: ID!) { startDelivery(fundId: $f) { fund { phase } } }`, { f: fund.fundId }, fund.admin));
    const funded = (await draft()).lines.find((l: { funded: boolean }) => l.funded);
    const project = `/staff/delivery/${fund.fundId}/${funded.proposalId}`;
    expect((await staff.auditor.get(project)).status).toBe(403);
    expect((await staff.auditor.post(`${project}/spend`, { amount: '5', spentOn: '2027-01-01', description: 'x' })).status).toBe(403);
    const page = await staff.reviewer.get(project);
    expect(page.status).toBe(200);
    const bad = await staff.reviewer.post(`${project}/spend`, {
      commandId: hidden(page.text, 'commandId'),
      amount: 'lots',
      spentOn: '14/03/2027',
      description: '',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Enter the amount in pounds');
    expect(bad.text).toContain('Enter the date as year-month-day');
    expect(bad.text).toContain('Say what the money was for');
    const future = await staff.reviewer.post(`${project}/spend`, {
      commandId: hidden(page.text, 'commandId'),
      amount: '5',
      spentOn: '2099-01-01',
      description: 'x',
    });
    expect(future.text).toContain('today or in the past');
    const fields = { amount: '9,000', spentOn: '2026-10-14', description: 'Equipment' };
    expect((await staff.reviewer.post(`${project}/spend`, { commandId: hidden(page.text, 'commandId'), ...fields })).status).toBe(303);
    const over = { amount: '£1,500.50', spentOn: '2026-11-01', description: 'Safety surface' };
    const asked = await staff.reviewer.post(`${project}/spend`, { commandId: 'a5a3b1f4-0c1e-4b7e-9d7a-000000000002', ...over });
    expect(asked.status).toBe(400);
    expect(asked.text).toContain('Say why before it can be recorded');
    expect((await delivery(funded.proposalId)).spends).toHaveLength(1);
    const recorded = await staff.reviewer.post(`${project}/spend`, {
      commandId: 'a5a3b1f4-0c1e-4b7e-9d7a-000000000003',
      ...over,
      overspendReason: 'Ground survey found old foundations',
    });
    expect(recorded.status).toBe(303);
    expect(await delivery(funded.proposalId)).toMatchObject({ totalSpent: '1050050' });
    const shown = await staff.reviewer.get(project);
    expect(shown.text).toContain('£9,000');
    expect(shown.text).toContain('£1,500.50');
    expect(shown.text).toContain('Ground survey found old foundations');
    const overview = await staff.councillor.get(`/staff/delivery/${fund.fundId}`);
    expect(overview.text).toContain('Over the official cost');
    expect(overview.text).toContain('£10,500.50');
  });

  it('reports a milestone with a status from the list, refusing a forged one', async () => {
    const funded = (await draft()).lines.find((l: { funded: boolean }) => l.funded);
    const project = `/staff/delivery/${fund.fundId}/${funded.proposalId}`;
    const page = await staff.reviewer.get(project);
    const forged = await staff.reviewer.post(`${project}/milestone`, {
      commandId: hidden(page.text, 'commandId'),
      title: 'Design',
      status: 'finished',
      note: '',
    });
    expect(forged.status).toBe(400);
    expect((await delivery(funded.proposalId)).milestones).toHaveLength(0);
    expect(
      (
        await staff.reviewer.post(`${project}/milestone`, {
          commandId: hidden(page.text, 'commandId'),
          title: 'Design',
          status: 'done',
          note: 'Agreed',
        })
      ).status,
    ).toBe(303);
    expect((await delivery(funded.proposalId)).milestones).toEqual([{ title: 'Design', status: 'done' }]);
    expect((await staff.councillor.get(`/staff/delivery/${fund.fundId}`)).text).toContain('1 of 1 done');
  });

  it('shows the voided ballots publicly, with their reasons and counts, and no identity', async () => {
    const page = await new WebClient(api.url).get(`/funds/${fund.fundId}/voided`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Ballots voided: 1');
    expect(page.text).toContain('Cast twice on paper and online');
    expect(page.text).not.toContain('TH-420002');
  });
});
