import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { EventStore } from '@civic/event-store';
import { LiveUpdates, fundTopic } from '../apps/api/src/live/live-updates';
import { EVENT_STORE } from '../apps/api/src/tokens';
import { startApi, type Gql } from './support/api-client';
import { ok, votingFund, type VotingFund } from './support/voting-fund';
import { startKiosk as startKioskAs } from './support/kiosks';
import { pollCardsOf } from './support/poll-cards';
import { WebClient } from './web/web-client';

/**
 * Assisted voting at a kiosk: an officer switches a device to kiosk mode for a fund and a place;
 * residents sign in at it with their poll card, each for one ballot that carries the officer and
 * the place; turnout counts those as `assisted`. And a sign-out closes the session's live
 * connections at once.
 */
jest.setTimeout(60_000);
type Api = Awaited<ReturnType<typeof startApi>>;
const codeOf = (res: Gql) => res.errors?.[0]?.extensions.code;
const clock = { at: Date.UTC(2030, 5, 1, 9), now: () => clock.at };
const RESIDENTS = ['KI-000001', 'KI-000002', 'KI-000003', 'KI-000004'];

let api: Api;
let fund: VotingFund;
let cards: Map<string, string>;
let device: string;
let kioskId: string;

const atKiosk = (reference: string, code = cards.get(reference)!, dev = device) =>
  api.gql('mutation($d: String!, $r: String!, $c: String!) { signInAtKiosk(device: $d, reference: $r, code: $c) { token subject } }', {
    d: dev,
    r: reference,
    c: code,
  });
const cast = (token: string) =>
  api.gql(
    'mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position } }',
    { f: fund.fundId, p: fund.potId, c: { proposalIds: [fund.proposals[0]] } },
    token,
  );
const startKiosk = (place: string) => startKioskAs(api, fund.fundId, place, fund.reviewer);
const me = (token: string) => api.gql('{ me { subject signedInWith } }', {}, token);
const auditEvents = async (category: string) => {
  const auditor = await api.signIn('auditor', 'aud-1');
  const log = ok(
    await api.gql(
      'query($c: String!) { auditLog(first: 100, streamCategory: $c) { events { type data metadata } } }',
      { c: category },
      auditor,
    ),
  );
  return (log.auditLog.events as { type: string; data: string; metadata: string }[]).map((e) => ({
    type: e.type,
    data: JSON.parse(e.data),
    metadata: JSON.parse(e.metadata),
  }));
};

beforeAll(async () => {
  api = await startApi(
    { RESIDENT_SIGN_IN_POLL_CARD: 'true', PERSONAL_DATA_EXPORTERS: 'admin-1', RATE_LIMIT_PER_MINUTE: '100000' },
    { authClock: clock },
  );
  fund = await votingFund(api, RESIDENTS);
  cards = await pollCardsOf(api, fund.fundId, fund.admin);
});
afterAll(() => api.stop());

describe('kiosk mode', () => {
  it('an officer switches a device to kiosk mode for a fund and a place: recorded with who, where and when', async () => {
    const res = await startKiosk(' Idea Store Whitechapel ');
    ({ device } = res);
    kioskId = res.kiosk.kioskId;
    expect(res.kiosk).toMatchObject({ fundId: fund.fundId, place: 'Idea Store Whitechapel', startedAt: new Date(clock.at).toISOString() });
    const [started] = await auditEvents('kiosk');
    expect(started).toMatchObject({
      type: 'KioskStarted',
      data: { kioskId, fundId: fund.fundId, place: 'Idea Store Whitechapel', officer: 'officer-1' },
      metadata: { actorRole: 'reviewer', actorId: 'officer-1', time: new Date(clock.at).toISOString() },
    });
    expect(ok(await api.gql('query($d: String!) { kiosk(device: $d) { place } }', { d: device })).kiosk).toEqual({
      place: 'Idea Store Whitechapel',
    });
  });

  it('refuses a kiosk to a resident, for an unknown fund, and without a place', async () => {
    const resident = fund.tokens[RESIDENTS[0]];
    const start = (f: string, p: string, token: string) =>
      api.gql('mutation($f: ID!, $p: String!) { startKiosk(fundId: $f, place: $p) { device } }', { f, p }, token);
    expect(codeOf(await start(fund.fundId, 'Library', resident))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await start(fund.fundId, '  ', fund.reviewer))).toBe('INPUT.INVALID');
    expect(codeOf(await start('no-such-fund', 'Library', fund.reviewer))).toBe('NOT_FOUND');
  });

  it("a resident's ballot at the kiosk carries the officer and the place, and the session ends on submit", async () => {
    const signedIn = ok(await atKiosk(RESIDENTS[0])).signInAtKiosk;
    expect(ok(await me(signedIn.token)).me).toEqual({ subject: RESIDENTS[0], signedInWith: 'kiosk' });
    ok(await cast(signedIn.token));
    expect(codeOf(await me(signedIn.token))).toBe('AUTH.UNAUTHENTICATED');
    const ballots = await auditEvents('ballot');
    expect(ballots.map((e) => [e.type, e.data.source])).toEqual([
      ['BallotCast', { channel: 'assisted', kioskId, officer: 'officer-1', place: 'Idea Store Whitechapel' }],
    ]);
  });

  it('turnout counts kiosk ballots as assisted, apart from online ones', async () => {
    ok(await cast(fund.tokens[RESIDENTS[1]]));
    const turnout = ok(
      await api.gql('query($f: ID!) { turnout(fundId: $f) { ballots online paper assisted } }', { f: fund.fundId }, fund.reviewer),
    ).turnout;
    expect(turnout).toEqual([{ ballots: 2, online: 1, paper: 0, assisted: 1 }]);
  });

  it('the tally carries the same channels, now and as it stood after the kiosk ballot alone', async () => {
    const tally = (asOf?: string) =>
      api.gql(
        'query($p: ID!, $a: String) { tally(potId: $p, asOf: $a) { ballots onlineBallots paperBallots assistedBallots } }',
        { p: fund.potId, a: asOf },
        fund.reviewer,
      );
    expect(ok(await tally()).tally).toEqual({ ballots: 2, onlineBallots: 1, paperBallots: 0, assistedBallots: 1 });
    const auditor = await api.signIn('auditor', 'aud-1');
    const log = ok(await api.gql('{ auditLog(first: 100, streamCategory: "ballot") { events { position data } } }', {}, auditor));
    const events = log.auditLog.events as { position: string; data: string }[];
    const at = events.find((e) => JSON.parse(e.data).source?.channel === 'assisted')!.position;
    expect(ok(await tally(at)).tally).toEqual({ ballots: 1, onlineBallots: 0, paperBallots: 0, assistedBallots: 1 });
  });

  it('a kiosk session ends after two minutes without a request, not before', async () => {
    const { token } = ok(await atKiosk(RESIDENTS[2])).signInAtKiosk;
    clock.at += 119_000;
    expect(ok(await me(token)).me.subject).toBe(RESIDENTS[2]);
    clock.at += 119_000; // each request restarts the two minutes
    expect(ok(await me(token)).me.subject).toBe(RESIDENTS[2]);
    clock.at += 120_000;
    expect(codeOf(await me(token))).toBe('AUTH.UNAUTHENTICATED');
  });

  it('takes only a poll card, and only with the token of a device in kiosk mode', async () => {
    expect(codeOf(await atKiosk(RESIDENTS[3], 'AAAA-AAAA-AAAA-AAAA'))).toBe('AUTH.CODE_INVALID');
    expect(codeOf(await atKiosk(RESIDENTS[3], cards.get(RESIDENTS[3]), 'not-a-device'))).toBe('KIOSK.NOT_ACTIVE');
  });

  it('ending kiosk mode takes the officer again; it signs out whoever is still signed in at it', async () => {
    const { token } = ok(await atKiosk(RESIDENTS[3])).signInAtKiosk;
    const end = (t: string) => api.gql('mutation($d: String!) { endKiosk(device: $d) }', { d: device }, t);
    expect(codeOf(await end(token))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await end(await api.signIn('reviewer', 'officer-2')))).toBe('AUTH.FORBIDDEN');
    expect(ok(await end(await api.signIn('reviewer', 'officer-1'))).endKiosk).toBe(true);
    expect(codeOf(await me(token))).toBe('AUTH.UNAUTHENTICATED');
    expect(codeOf(await atKiosk(RESIDENTS[3]))).toBe('KIOSK.NOT_ACTIVE');
    expect((await auditEvents('kiosk')).map((e) => [e.type, e.metadata.actorId])).toEqual([
      ['KioskStarted', 'officer-1'],
      ['KioskEnded', 'officer-1'],
    ]);
  });
});

describe('ending a kiosk twice at once', () => {
  it('records KioskEnded once when two endKiosk race past the check that the kiosk is live', async () => {
    const started = await startKiosk('Bow Library');
    const store = api.app.get<EventStore>(EVENT_STORE);
    const append = store.append.bind(store);
    // Both ends pass the kiosk's check before either writes: the appends wait until both are in.
    let arrived = 0;
    let bothIn!: () => void;
    const gate = new Promise<void>((resolve) => (bothIn = resolve));
    const spy = jest.spyOn(store, 'append').mockImplementation(async (stream, events, options) => {
      if (stream === `kiosk-${started.kiosk.kioskId}`) {
        if (++arrived === 2) bothIn();
        await gate;
      }
      return append(stream, events, options);
    });
    try {
      const end = () => api.gql('mutation($d: String!) { endKiosk(device: $d) }', { d: started.device }, fund.reviewer);
      const results = await Promise.all([end(), end()]);
      expect(arrived).toBe(2);
      expect(results.map((r) => ok(r).endKiosk).sort()).toEqual([false, true]);
    } finally {
      spy.mockRestore();
    }
    const events = await store.readStream(`kiosk-${started.kiosk.kioskId}`);
    expect(events.map((e) => e.type)).toEqual(['KioskStarted', 'KioskEnded']);
  });
});

describe('signing out cuts live connections', () => {
  /** A graphql-ws connection following the fund, and how it closed. */
  async function follow(token: string) {
    const client = createClient({
      url: `${api.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    const closed = new Promise<{ code: number }>((resolve) => client.on('closed', (event) => resolve(event as { code: number })));
    client.subscribe(
      { query: 'subscription($f: ID!) { fundChanged(fundId: $f) { phase } }', variables: { f: fund.fundId } },
      {
        next: () => undefined,
        error: () => undefined,
        complete: () => undefined,
      },
    );
    const live = api.app.get(LiveUpdates);
    const before = live.listeners(fundTopic(fund.fundId));
    // Waits for the server to hold the subscription (graphql-ws does not acknowledge one).
    while (live.listeners(fundTopic(fund.fundId)) === before) await new Promise((resolve) => setImmediate(resolve));
    return { client, closed };
  }

  it('signOut closes the session’s open subscriptions at once with 4401; another session’s stay open', async () => {
    const leaving = await api.signIn('resident', RESIDENTS[0]);
    const staying = await api.signIn('resident', RESIDENTS[1]);
    const [gone, kept] = [await follow(leaving), await follow(staying)];
    let keptClosed = false;
    void kept.closed.then(() => (keptClosed = true));
    expect(ok(await api.gql('mutation { signOut }', {}, leaving)).signOut).toBe(true);
    expect((await gone.closed).code).toBe(4401);
    expect(keptClosed).toBe(false);
    await Promise.all([gone.client.dispose(), kept.client.dispose()]);
  });

  it('signing out on the web pages closes the subscriptions of the API session behind them', async () => {
    const browser = new WebClient(api.url);
    await browser.signIn(RESIDENTS[2]);
    // The web session's API token never reaches the browser: read from the web app's own session file.
    const db = new Database(join(api.dir, 'web-sessions.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT data FROM web_sessions').all() as { data: string }[];
    db.close();
    const token = rows.map((r) => JSON.parse(r.data).principal).find((p) => p?.subject === RESIDENTS[2]).apiToken as string;
    const { client, closed } = await follow(token);
    expect((await browser.post('/sign-out', {})).location).toBe('/?signedOut=1');
    expect((await closed).code).toBe(4401);
    await client.dispose();
  });

  it('a revoked session (its kiosk ended) closes its subscriptions too', async () => {
    const res = await startKiosk('Bow Library');
    const { token } = ok(await atKiosk(RESIDENTS[3], cards.get(RESIDENTS[3]), res.device)).signInAtKiosk;
    const { client, closed } = await follow(token);
    ok(await api.gql('mutation($d: String!) { endKiosk(device: $d) }', { d: res.device }, fund.reviewer));
    expect((await closed).code).toBe(4401);
    await client.dispose();
  });

  it("once results are published, the bulletin board shows a kiosk's ballot as assisted, and nothing of its officer or place", async () => {
    const pot = { f: fund.fundId, p: fund.potId };
    ok(
      await api.gql(
        `mutation($f: ID!) { closeVotingEarly(fundId: $f, reason: "The kiosk test's ballots are in") { fund { phase } } }`,
        pot,
        fund.admin,
      ),
    );
    ok(await api.gql('mutation($f: ID!, $p: ID!) { computeAllocation(fundId: $f, potId: $p) { status } }', pot, fund.admin));
    ok(await api.gql('mutation($f: ID!, $p: ID!) { ratifyAllocation(fundId: $f, potId: $p) { status } }', pot, fund.councillor));
    ok(await api.gql('mutation($f: ID!, $p: ID!) { publishAllocation(fundId: $f, potId: $p) { status } }', pot, fund.councillor));
    ok(await api.gql('mutation($f: ID!) { publishResults(fundId: $f) { fund { phase } } }', pot, fund.councillor));
    const board = ok(await api.gql('query($p: ID!) { bulletinBoard(potId: $p) { ballots { channel } csv pabulib } }', pot)).bulletinBoard;
    expect(board.ballots.map((b: { channel: string }) => b.channel).sort()).toEqual(['assisted', 'online']);
    expect(JSON.stringify(board)).not.toMatch(/Idea Store|Bow Library|officer|kiosk/i);
  });
});
