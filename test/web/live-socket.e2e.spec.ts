import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { votingFund, type VotingFund } from '../support/voting-fund';
import { startWeb, WebClient } from './web-client';

/**
 * The staff's live pages subscribe over a WebSocket that carries the page session's cookie and no
 * token: the token stays on the server. Only an upgrade from the site's own origin gets the
 * session; one from another site is anonymous, so it cannot read a tally before publication.
 */
let api: Awaited<ReturnType<typeof startWeb>>;
let fund: VotingFund;
let reviewer: WebClient;

beforeAll(async () => {
  api = await startWeb();
  fund = await votingFund(api, ['TH-960001', 'TH-960002']);
  reviewer = new WebClient(api.url);
  await reviewer.get('/staff/sign-in');
  expect((await reviewer.post('/staff/sign-in', { role: 'reviewer', subject: 'reviewer-live', back: '/staff' })).status).toBe(303);
}, 120_000);
afterAll(() => api?.stop());

/** The first answer of a tally subscription opened with these upgrade headers (a tally, or the error's code). */
async function firstTally(headers: Record<string, string>): Promise<{ ballots?: number; code?: string }> {
  class CookieSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client = createClient({ url: `${api.url.replace('http', 'ws')}/graphql`, webSocketImpl: CookieSocket, retryAttempts: 0 });
  let answered = false;
  const first = new Promise<{ ballots?: number; code?: string }>((resolve, reject) => {
    client.subscribe<{ tallyUpdated: { ballots: number } }>(
      { query: 'subscription($p: ID!) { tallyUpdated(potId: $p) { ballots } }', variables: { p: fund.potId } },
      {
        next: (r) => resolve(r.errors ? { code: String(r.errors[0].extensions?.code) } : { ballots: r.data!.tallyUpdated.ballots }),
        error: (err) => {
          const errors = err as { extensions?: { code?: string } }[];
          if (Array.isArray(errors)) resolve({ code: String(errors[0]?.extensions?.code) });
          else reject(err);
        },
        complete: () => undefined,
      },
    );
  }).finally(() => {
    answered = true;
    void client.dispose();
  });
  // Ballots until the subscription answers (it starts a moment after the socket opens): each ballot
  // publishes a tally, so the first answer comes with the first ballot after it started.
  for (let i = 0; !answered && i < 200; i++) await castOne(i);
  return first;
}

let cast = 0;
async function castOne(i: number) {
  const tokens = Object.values(fund.tokens);
  const mutation = cast++ < tokens.length ? 'castBallot' : 'replaceBallot';
  await api.gql(
    `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { ${mutation}(fundId: $f, potId: $p, content: $c) { position } }`,
    { f: fund.fundId, p: fund.potId, c: { proposalIds: [fund.proposals[i % fund.proposals.length]] } },
    tokens[cast % tokens.length],
  );
}

const cookieOf = (client: WebClient) => [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

it("a reviewer's page session follows the tally over a same-origin WebSocket, with no token in the page", async () => {
  const host = new URL(api.url).host;
  const tally = await firstTally({ cookie: cookieOf(reviewer), origin: api.url, host });
  expect(tally.ballots).toEqual(expect.any(Number));
  const page = await reviewer.get(`/tally/funds/${fund.fundId}/pots/${fund.potId}`);
  expect(page.status).toBe(200);
  expect(page.text).not.toMatch(/data-token|Bearer|eyJ[\w-]{10,}\./);
});

it('the same cookie sent from another site opens no session: the tally is refused', async () => {
  const host = new URL(api.url).host;
  expect(await firstTally({ cookie: cookieOf(reviewer), origin: 'https://evil.example', host })).toEqual({ code: 'AUTH.FORBIDDEN' });
  expect(await firstTally({ cookie: cookieOf(reviewer), host })).toEqual({ code: 'AUTH.FORBIDDEN' });
});

it('a signed-out page session opens nothing either', async () => {
  const client = new WebClient(api.url);
  await client.get('/staff/sign-in');
  await client.post('/staff/sign-in', { role: 'reviewer', subject: 'reviewer-gone', back: '/staff' });
  const cookie = cookieOf(client);
  await client.get('/staff');
  expect((await client.post('/sign-out', {})).status).toBe(303);
  expect(await firstTally({ cookie, origin: api.url, host: new URL(api.url).host })).toEqual({ code: 'AUTH.FORBIDDEN' });
});
