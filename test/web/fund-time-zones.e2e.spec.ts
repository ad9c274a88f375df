import { hidden, startWeb, WebClient } from './web-client';

/**
 * Each fund's dates are shown on its own clock: one instant, three funds in three zones, read
 * on the residents' and the staff pages in English and Bengali.
 */
const DAY = 86_400_000;
/** 21:00 UTC on Monday 14 June 2027: 10pm in London, 5pm in New York, 3am on Tuesday in Dhaka. */
const CLOSES = '2027-06-14T21:00:00.000Z';
/** The year shows only when the date is not in this year; the test may run in either. */
const yr = '(?: 2027)?';
const text = (html: string) => html.replace(/&#39;/g, "'").replace(/\s+/g, ' ');

describe('each fund’s dates in its own time zone', () => {
  let api: Awaited<ReturnType<typeof startWeb>>;
  const funds: Record<string, string> = {};
  const pots: Record<string, string> = {};
  const proposals: Record<string, string> = {};

  beforeAll(async () => {
    api = await startWeb();
    const [admin, reviewer] = await Promise.all([api.signIn('administrator', 'admin-tz'), api.signIn('reviewer', 'officer-tz')]);
    const ok = async (p: Promise<{ data?: any; errors?: unknown }>) => {
      const r = await p;
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data;
    };
    await ok(
      api.gql(
        `mutation($c: String!) { importRegister(csv: $c) { imported } }`,
        { c: 'reference,ward,date_of_birth\nTH-700001,Mile End,1980-01-01' },
        admin,
      ),
    );
    const resident = await api.signIn('resident', 'TH-700001');
    const now = Date.now();
    for (const [name, timeZone] of [
      ['London Fund', 'Europe/London'],
      ['New York Fund', 'America/New_York'],
      ['Dhaka Fund', 'Asia/Dhaka'],
    ]) {
      const schedule = {
        proposalsOpenAt: new Date(now - 30 * DAY).toISOString(),
        reviewStartsAt: new Date(now - 20 * DAY).toISOString(),
        votingOpensAt: new Date(now - 10 * DAY).toISOString(),
        votingClosesAt: CLOSES,
      };
      const fundId = (
        await ok(
          api.gql(
            `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
            { i: { name, description: name, schedule, timeZone } },
            admin,
          ),
        )
      ).createFund.fund.id as string;
      const potId = (
        await ok(
          api.gql(
            `mutation($i: AddPotInput!) { addPot(input: $i) { fund { pots { id } } } }`,
            {
              i: {
                fundId,
                name: `${name} pot`,
                ward: null,
                budget: '1000000',
                rule: 'greedy_by_votes',
                ballot: { kind: 'approval', minPicks: 1, maxPicks: 1 },
              },
            },
            admin,
          ),
        )
      ).addPot.fund.pots[0].id as string;
      await ok(api.gql(`mutation($id: ID!) { openProposals(fundId: $id) { fund { phase } } }`, { id: fundId }, admin));
      const proposalId = (
        await ok(
          api.gql(
            `mutation($i: SubmitProposalInput!) { submitProposal(input: $i) { proposal { id } } }`,
            {
              i: {
                fundId,
                potId,
                title: `${name} garden`,
                summary: 'A garden.',
                description: 'A garden for all.',
                category: 'parks',
                estimatedCost: '500000',
              },
            },
            resident,
          ),
        )
      ).submitProposal.proposal.id as string;
      await ok(api.gql(`mutation($id: ID!) { startReview(fundId: $id) { fund { phase } } }`, { id: fundId }, admin));
      await ok(
        api.gql(
          `mutation($id: ID!, $c: Pence!) { acceptProposal(proposalId: $id, officialCost: $c) { proposal { status } } }`,
          { id: proposalId, c: '500000' },
          reviewer,
        ),
      );
      await ok(api.gql(`mutation($id: ID!) { openVoting(fundId: $id) { fund { phase } } }`, { id: fundId }, admin));
      funds[timeZone] = fundId;
      pots[timeZone] = potId;
      proposals[timeZone] = proposalId;
    }
  }, 60_000);
  afterAll(() => api?.stop());

  it('says on the home page when voting closes on each fund’s clock, in English and Bengali', async () => {
    const en = text((await new WebClient(api.url).get('/')).text);
    expect(en).toMatch(new RegExp(`London Fund[\\s\\S]*?Voting closes on Monday 14 June${yr} at 10pm`));
    expect(en).toMatch(new RegExp(`New York Fund[\\s\\S]*?Voting closes on Monday 14 June${yr} at 5pm`));
    expect(en).toMatch(new RegExp(`Dhaka Fund[\\s\\S]*?Voting closes on Tuesday 15 June${yr} at 3am`));
    const bn = text((await new WebClient(api.url).get('/', { 'accept-language': 'bn' })).text);
    expect(bn).toMatch(/Dhaka Fund[\s\S]*?মঙ্গলবার,? ১৫ জুন(?:, ২০২৭)?, ০৩:০০/);
    expect(bn).toMatch(/New York Fund[\s\S]*?সোমবার,? ১৪ জুন(?:, ২০২৭)?, ১৭:০০/);
  });

  it('shows the close on the ballot page and on the confirmation in the fund’s zone', async () => {
    const web = new WebClient(api.url);
    await web.signIn('TH-700001');
    const base = `/funds/${funds['Asia/Dhaka']}/pots/${pots['Asia/Dhaka']}/vote`;
    const ballot = await web.get(base);
    expect(text(ballot.text)).toMatch(new RegExp(`Tuesday 15 June${yr} at 3am`));
    const sent = await web.post(`${base}/submit`, {
      commandId: hidden(ballot.text, 'commandId'),
      action: 'cast',
      choice: proposals['Asia/Dhaka'],
    });
    const done = await web.follow(sent);
    expect(text(done.text)).toMatch(new RegExp(`Tuesday 15 June${yr} at 3am`));
    const bn = await web.get(base, { 'accept-language': 'bn' });
    expect(text(bn.text)).toMatch(/মঙ্গলবার,? ১৫ জুন(?:, ২০২৭)?, ০৩:০০/);
  });

  it('shows the schedule on the administrators’ fund pages in the fund’s zone', async () => {
    const admin = new WebClient(api.url);
    await admin.get('/staff/sign-in');
    expect((await admin.post('/staff/sign-in', { role: 'administrator', subject: 'admin-tz-pages', back: '/staff' })).status).toBe(303);
    const list = text((await admin.get('/admin/funds')).text);
    expect(list).toMatch(new RegExp(`New York Fund[\\s\\S]*?Monday 14 June${yr} at 5pm`));
    const fund = text((await admin.get(`/admin/funds/${funds['Asia/Dhaka']}`)).text);
    expect(fund).toMatch(new RegExp(`Tuesday 15 June${yr} at 3am`));
  });
});
