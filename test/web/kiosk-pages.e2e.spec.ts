import { startApi } from '../support/api-client';
import { ok, votingFund, type VotingFund } from '../support/voting-fund';
import { WebClient } from './web-client';
import { pollCardsOf } from '../support/poll-cards';

/**
 * The kiosk's pages with JavaScript off: an officer switches the device to kiosk mode (and is
 * signed out of it), residents sign in at its start page with their poll card and vote, each
 * leaving the device on the start page (after the ballot, or two minutes idle by the clock the
 * test moves), and the officer signs in again to end it.
 */
jest.setTimeout(90_000);
type Api = Awaited<ReturnType<typeof startApi>>;
const clock = { at: Date.UTC(2030, 4, 1, 9), now: () => clock.at };
const RESIDENTS = ['KP-000001', 'KP-000002'];

let api: Api;
let fund: VotingFund;
let cards: Map<string, string>;
const device = () => new WebClient(api.url);
let kiosk: WebClient;

const fieldError = (html: string, id: string) =>
  new RegExp(`id="${id}-error"[^>]*>\\s*<span class="govuk-visually-hidden">[^<]*</span>\\s*([^<]*)`).exec(html)?.[1]?.trim();
const voteUrl = () => `/funds/${fund.fundId}/pots/${fund.potId}/vote`;

async function staffSignIn(client: WebClient, back: string) {
  await client.get('/staff/sign-in');
  const res = await client.post('/staff/sign-in', { role: 'reviewer', subject: 'officer-1', back });
  expect(res.status).toBe(303);
  return client.get(res.location);
}

async function residentSignsIn(reference: string) {
  await kiosk.get('/kiosk');
  const res = await kiosk.post('/kiosk/sign-in', { pollReference: reference, pollCode: cards.get(reference)! });
  expect(res.location).toBe('/kiosk/vote');
  const vote = await kiosk.follow(res);
  expect(vote.location).toBe(voteUrl()); // one pot: straight to its ballot
  return kiosk.follow(vote);
}

beforeAll(async () => {
  api = await startApi(
    { RESIDENT_SIGN_IN_POLL_CARD: 'true', PERSONAL_DATA_EXPORTERS: 'admin-1', RATE_LIMIT_PER_MINUTE: '100000' },
    { authClock: clock, web: { now: clock.now } },
  );
  fund = await votingFund(api, RESIDENTS);
  cards = await pollCardsOf(api, fund.fundId, fund.admin);
  kiosk = device();
});
afterAll(() => api.stop());

describe('the kiosk pages, without JavaScript', () => {
  it('a device not in kiosk mode says so', async () => {
    const res = await device().get('/kiosk');
    expect(res.status).toBe(404);
    expect(res.text).toContain('This device is not a voting kiosk');
  });

  it('an officer switches the device to kiosk mode for a fund and a place, and is signed out of it', async () => {
    const form = await staffSignIn(kiosk, '/kiosk/start');
    expect(form.status).toBe(200);
    expect(form.text).toContain('Mile End Fund');
    const blank = await kiosk.post('/kiosk/start', { fundId: fund.fundId, place: '  ' });
    expect(blank.status).toBe(400);
    expect(blank.text).toContain('govuk-error-summary');
    expect(fieldError(blank.text, 'place')).toBe('Enter where the kiosk is');
    const started = await kiosk.post('/kiosk/start', { fundId: fund.fundId, place: 'Idea Store Whitechapel' });
    expect(started.location).toBe('/kiosk');
    const welcome = await kiosk.follow(started);
    expect(welcome.text).toContain('Voting kiosk at Idea Store Whitechapel');
    expect(welcome.text).toContain('Vote in Mile End Fund');
    expect(welcome.text).not.toContain('Signed in as');
    // The officer's session is gone from the device: a staff page asks to sign in again.
    expect((await kiosk.get('/staff')).location).toBe('/staff/sign-in?back=%2Fstaff');
  });

  it('a wrong poll card is refused at its field; the start page speaks Bengali too', async () => {
    await kiosk.get('/kiosk');
    const res = await kiosk.post('/kiosk/sign-in', { pollReference: RESIDENTS[0], pollCode: 'AAAA-AAAA-AAAA-AAAA' });
    expect(res.status).toBe(400);
    expect(fieldError(res.text, 'pollCode')).toBe('This code is not right: check it and try again');
    const bn = await kiosk.get('/kiosk', { 'accept-language': 'bn' });
    expect(bn.text).toContain('আপনার পোল কার্ড দিয়ে এখানে ভোট দিন');
  });

  it('a resident votes; the ballot ends the session and shows the receipt; the device is back at the start page', async () => {
    const ballot = await residentSignsIn(RESIDENTS[0]);
    expect(ballot.status).toBe(200);
    // Without JavaScript, the page goes back to the start page after two minutes.
    expect(ballot.text).toContain('<noscript><meta http-equiv="refresh" content="120;url=/kiosk?expired=1"></noscript>');
    expect(ballot.text).toContain('signed out after 2 minutes without using the page');
    const done = await kiosk.post(`${voteUrl()}/submit`, { choice: fund.proposals[0], commandId: crypto.randomUUID() });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Your vote is recorded');
    expect(done.text).toMatch(/id="receipt-code">[0-9A-Z-]{17,25}</);
    expect(done.text).not.toContain('http-equiv="refresh"');
    expect((await kiosk.get(voteUrl())).location).toBe('/kiosk');
    const turnout = ok(await api.gql('query($f: ID!) { turnout(fundId: $f) { assisted online } }', { f: fund.fundId }, fund.reviewer));
    expect(turnout.turnout).toEqual([{ assisted: 1, online: 0 }]);
  });

  it('a resident who walks away is signed out after two minutes without a request, and the kiosk stays', async () => {
    await residentSignsIn(RESIDENTS[1]);
    clock.at += 119_000;
    expect((await kiosk.get(voteUrl())).status).toBe(200);
    clock.at += 120_000;
    expect((await kiosk.get(voteUrl())).location).toBe('/kiosk');
    const start = await kiosk.get('/kiosk');
    expect(start.status).toBe(200);
    expect(start.text).not.toContain('Signed in as');
    // The device waits for its next resident past the web session's 30 minutes idle.
    clock.at += 45 * 60_000;
    expect((await kiosk.get('/kiosk')).status).toBe(200);
  });

  it('ending kiosk mode takes the officer signing in again', async () => {
    expect((await kiosk.get('/kiosk/end')).location).toBe('/staff/sign-in?back=%2Fkiosk%2Fend');
    const form = await staffSignIn(kiosk, '/kiosk/end');
    expect(form.text).toContain('The kiosk at Idea Store Whitechapel will stop taking sign-ins');
    const ended = await kiosk.post('/kiosk/end', {});
    expect(ended.location).toBe('/staff?kioskEnded=1');
    expect((await kiosk.get('/kiosk')).status).toBe(404);
  });
});
