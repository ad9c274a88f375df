import { startApi } from './support/api-client';

let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.stop());

/** The cache-control header of a POST to /graphql. */
async function cacheControl(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  await res.text();
  return res.headers.get('cache-control');
}

describe('GraphQL answers and shared caches', () => {
  it('marks every answer no-store: data, a refusal, a mutation, a query that does not parse', async () => {
    expect(await cacheControl(`{ funds { id } }`)).toBe('no-store');
    expect(await cacheControl(`query($p: ID!) { tally(potId: $p) { ballots } }`, { p: 'no-such-pot' })).toBe('no-store');
    expect(await cacheControl(`mutation { devSignIn(role: resident, subject: "TH-1") { token } }`)).toBe('no-store');
    expect(await cacheControl(`{ funds { `)).toBe('no-store');
  });
});
