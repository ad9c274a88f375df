import { startWeb, WebClient } from './web-client';

let api: Awaited<ReturnType<typeof startWeb>>;

beforeAll(async () => {
  api = await startWeb({ RATE_LIMIT_PER_MINUTE: '6' });
});
afterAll(() => api.stop());

/** A visitor behind this host's proxy, from `address`. */
const visitor = (address: string) => {
  const web = new WebClient(api.url);
  const at = { 'x-forwarded-for': address };
  return {
    web,
    page: (path: string) => web.get(path, at),
    graphql: (token?: string) =>
      fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...at, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query: '{ version { version } }' }),
      }).then((r) => r.json() as Promise<{ errors?: { extensions: { code: string } }[] }>),
  };
};

/** Loads `path` until the API's rate limit answers for the visitor: the loads that were served. */
async function spend(page: (path: string) => Promise<{ status: number }>, path: string): Promise<number> {
  for (let served = 0; served < 20; served++) if ((await page(path)).status === 429) return served;
  throw new Error('the pages were never limited');
}

describe('pages run their operations through the API, as their visitor', () => {
  it('counts a page’s operations in its visitor’s own budget, the one /graphql counts: by address before sign-in', async () => {
    const a = visitor('203.0.113.7');
    expect(await spend(a.page, '/')).toBeGreaterThan(0);
    expect((await a.graphql()).errors?.[0].extensions.code).toBe('RATE_LIMITED');
    // The page of the limit, in the visitor's language.
    expect((await a.page('/')).text).toContain('Too many requests');
    a.web.cookies.set('civic_lang', 'bn');
    const bengali = await a.page('/');
    expect(bengali.status).toBe(429);
    expect(bengali.text).toContain('অনেক বেশি অনুরোধ');
    // Another address has a budget of its own.
    const b = visitor('203.0.113.8');
    expect((await b.page('/')).status).toBe(200);
  });

  it('runs a signed-in resident’s pages with their own token: their subject’s budget, from any address', async () => {
    const c = visitor('203.0.113.9');
    await c.page('/sign-in');
    expect((await c.web.post('/sign-in', { reference: 'TH-700501', back: '/' })).status).toBe(303);
    const home = await c.page('/');
    expect(home.text).toContain('Signed in as TH-700501');
    expect(await spend(c.page, '/')).toBeGreaterThan(0);
    // The same subject over /graphql, from elsewhere, finds its budget spent; the address it came from has not.
    const d = visitor('203.0.113.10');
    const token = await api.signIn('resident', 'TH-700501');
    expect((await d.graphql(token)).errors?.[0].extensions.code).toBe('RATE_LIMITED');
    expect((await d.graphql()).errors).toBeUndefined();
  });
});
