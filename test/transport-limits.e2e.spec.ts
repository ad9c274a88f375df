import { QUERY_LIMITS } from '../apps/api/src/graphql/operation-limits';
import { type Gql, startApi } from './support/api-client';
import { wsClients } from './support/ws-client';

/**
 * Every limit holds whatever carries the operation: the same document is refused with the same
 * code over HTTP and over a real WebSocket (graphql-ws), before any resolver runs. The
 * WebSocket carries subscriptions only; the rate limit is one budget per client for both.
 */
jest.setTimeout(60_000);

let api: Awaited<ReturnType<typeof startApi>>;
let ws: ReturnType<typeof wsClients>;

beforeAll(async () => {
  api = await startApi();
  ws = wsClients(api.url);
});

afterAll(async () => {
  await ws.disposeAll();
  await api.stop();
});

const firstError = (answer: Gql) => ({ code: answer.errors?.[0]?.extensions.code, message: answer.errors?.[0]?.message ?? '' });
const overWs = (query: string, variables?: Record<string, unknown>, token?: string) => ws.once(ws.connect(token), query, variables);

const deep = (n: number): string => (n === 0 ? 'name' : `ofType { ${deep(n - 1)} }`);
const costly = Array.from(
  { length: 4 },
  (_, i) => `p${i}: proposals(first: 100) { edges { node { id title summary description history { type time actorRole } } } }`,
).join(' ');

/** [limit, document over it, code, message]. The ones that are queries are refused by the limit, not by the transport. */
const OVER_LIMITS: [string, string, Record<string, unknown>, string, RegExp][] = [
  ['depth', `{ __type(name: "Fund") { fields { type { ${deep(QUERY_LIMITS.maxDepth)} } } } }`, {}, 'GRAPHQL_VALIDATION_FAILED', /depth/i],
  [
    'aliases',
    `subscription { fundChanged(fundId: "f") { ${Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: id`).join(' ')} } }`,
    {},
    'GRAPHQL_VALIDATION_FAILED',
    /alias/i,
  ],
  [
    'directives',
    `subscription { fundChanged(fundId: "f") { id ${'@include(if: true) '.repeat(QUERY_LIMITS.maxDirectives + 1)} } }`,
    {},
    'GRAPHQL_VALIDATION_FAILED',
    /directive/i,
  ],
  ['tokens', `subscription { fundChanged(fundId: "f") { ${'id '.repeat(QUERY_LIMITS.maxTokens)} } }`, {}, 'GRAPHQL_PARSE_FAILED', /token/i],
  ['cost', `{ ${costly} }`, {}, 'GRAPHQL_VALIDATION_FAILED', /cost/i],
  [
    'cost with a page size in a variable',
    `query($n: Int!) { ${costly.replace(/first: 100/g, 'first: $n')} }`,
    { n: 100 },
    'GRAPHQL_VALIDATION_FAILED',
    /cost/i,
  ],
];

describe('the same limits on every transport', () => {
  it.each(OVER_LIMITS)(
    'refuses a document over the %s limit over HTTP and over WebSocket alike',
    async (_limit, query, variables, code, message) => {
      const http = firstError(await api.gql(query, variables));
      const socket = firstError(await overWs(query, variables));
      expect(http.code).toBe(code);
      expect(http.message).toMatch(message);
      expect(socket).toEqual(http);
    },
  );

  it('closes a WebSocket whose message is larger than a request body may be, before parsing it', async () => {
    const big = await overWs(`subscription($pad: String) { tallyUpdated(potId: "p") { ballots } }`, { pad: 'x'.repeat(2 * 1024 * 1024) });
    expect(big.errors?.[0].extensions).toMatchObject({ code: 'SOCKET_CLOSED', closeCode: 1009 });
    const http = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ version { version } }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(http.status).toBe(413);
  });

  it('refuses a subscription whose connection token has expired since it connected, keeping the socket open', async () => {
    const client = ws.connect(await api.signIn('reviewer', 'officer-ws'));
    const tally = `subscription { tallyUpdated(potId: "p") { ballots } }`;
    expect(firstError(await ws.once(client, tally)).code).not.toBe('SOCKET_CLOSED');
    // Nine hours on: the token (eight hours) has expired, the connection has not.
    const now = Date.now();
    const later = jest.spyOn(Date, 'now').mockReturnValue(now + 9 * 3600_000);
    try {
      expect(firstError(await ws.once(client, tally)).code).toBe('AUTH.UNAUTHENTICATED');
    } finally {
      later.mockRestore();
    }
  });

  it('runs a subscription within the limits over WebSocket', async () => {
    const answer = await overWs(`subscription { tallyUpdated(potId: "p") { ballots } }`);
    // Past every limit, to the resolver: the embargo asks the pot first, and there is no pot "p".
    expect(firstError(answer).code).toBe('NOT_FOUND');
  });

  it('refuses queries and mutations over WebSocket with a clear code, and writes nothing', async () => {
    const admin = await api.signIn('administrator', 'admin-ws');
    const before = (await api.gql('{ funds { id } }')).data.funds.length;
    const query = await overWs('{ version { version } }', {}, admin);
    expect(firstError(query).code).toBe('TRANSPORT.SUBSCRIPTIONS_ONLY');
    const mutation = await overWs(
      `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
      {
        i: {
          name: 'F',
          description: 'D',
          schedule: {
            proposalsOpenAt: '2030-01-01T00:00:00Z',
            reviewStartsAt: '2030-02-01T00:00:00Z',
            votingOpensAt: '2030-03-01T00:00:00Z',
            votingClosesAt: '2030-04-01T00:00:00Z',
          },
        },
      },
      admin,
    );
    expect(firstError(mutation)).toEqual({ code: 'TRANSPORT.SUBSCRIPTIONS_ONLY', message: expect.stringMatching(/HTTP/) });
    expect((await api.gql('{ funds { id } }')).data.funds).toHaveLength(before);
  });

  it('refuses a subscription over HTTP with a clear code, before any resolver', async () => {
    const answer = await api.gql('subscription { fundChanged(fundId: "f") { id } }');
    expect(firstError(answer)).toEqual({ code: 'TRANSPORT.NO_SUBSCRIPTIONS', message: expect.stringMatching(/WebSocket/) });
  });
});

describe('one rate-limit budget per client across transports', () => {
  it('counts HTTP operations and WebSocket subscriptions against the same budget, per subject and per address', async () => {
    // The budget is a sliding minute: start well inside one, so the window does not turn mid-test.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
    const limited = await startApi({ RATE_LIMIT_PER_MINUTE: '5' });
    const sockets = wsClients(limited.url);
    try {
      const httpCode = async (token?: string) => firstError(await limited.gql('{ version { version } }', {}, token)).code;
      const wsCode = async (token?: string) =>
        firstError(await sockets.once(sockets.connect(token), `subscription { tallyUpdated(potId: "p") { ballots } }`)).code;
      // The sign-in is the address's first operation.
      const resident = await limited.signIn('resident', 'TH-ws-1');
      const subject = [
        await httpCode(resident),
        await httpCode(resident),
        await httpCode(resident),
        await wsCode(resident),
        await wsCode(resident),
      ];
      // Past the limits, each subscription reaches the resolver, which finds no pot "p": counted all the same.
      expect(subject).toEqual([undefined, undefined, undefined, 'NOT_FOUND', 'NOT_FOUND']);
      expect(await wsCode(resident)).toBe('RATE_LIMITED');
      expect(await httpCode(resident)).toBe('RATE_LIMITED');
      // The address (anonymous callers) has its own budget, of which the sign-in took one.
      const address = [await wsCode(), await wsCode(), await httpCode(), await httpCode()];
      expect(address).toEqual(['NOT_FOUND', 'NOT_FOUND', undefined, undefined]);
      expect(await httpCode()).toBe('RATE_LIMITED');
      expect(await wsCode()).toBe('RATE_LIMITED');
    } finally {
      await sockets.disposeAll();
      await limited.stop();
    }
  });
});
