import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { webAppOf } from '../../apps/web/src';
import { allows, type Role, STAFF_ROLES } from '../../apps/web/src/setup/page-guard';
import type { PageRoute } from '../../apps/web/src/web-app';
import { startWeb, WebClient } from './web-client';

/**
 * The authorization matrix extended to pages: every registered page, for every role and for a
 * visitor who is not signed in, is served or refused exactly as its declared access says.
 * Walks the routes the web app registered, so a new page is in the matrix without editing it.
 */
describe('who may open each page', () => {
  let api: Awaited<ReturnType<typeof startWeb>>;
  let routes: readonly PageRoute[];
  const clients = new Map<Role, WebClient>();

  beforeAll(async () => {
    api = await startWeb();
    routes = webAppOf((api.app as NestFastifyApplication).getHttpAdapter().getInstance())?.routes ?? [];
    for (const role of ['resident', ...STAFF_ROLES] as Role[]) {
      const client = new WebClient(api.url);
      if (role === 'resident') {
        const admin = await api.signIn('administrator', 'admin-1');
        const registered = await api.gql(
          `mutation { registerResident(input: { reference: "TH-AUTHZ-1", ward: "Bow West", dateOfBirth: "1980-01-01" }) { __typename } }`,
          {},
          admin,
        );
        expect(registered.errors).toBeUndefined();
        await client.signIn('TH-AUTHZ-1');
      } else {
        await client.get('/staff/sign-in');
        const res = await client.post('/staff/sign-in', { role, subject: `${role}-1`, back: '/staff' });
        expect(res.status).toBe(303);
        await client.get('/staff');
      }
      clients.set(role, client);
    }
  }, 60_000);
  afterAll(() => api?.stop());

  /** A concrete path for a route (parameters filled with a well-formed id that names nothing). */
  const pathOf = (url: string) => url.replace(/:\w+/g, '00000000-0000-4000-8000-000000000000');

  it('registers pages for residents and for every staff role', () => {
    expect(routes.some((r) => r.access === 'resident')).toBe(true);
    for (const role of STAFF_ROLES) expect(routes.some((r) => typeof r.access === 'object' && allows(r.access, role))).toBe(true);
  });

  it('sends a visitor who is not signed in to sign in for every page that needs it, and serves the public ones', async () => {
    const anonymous = new WebClient(api.url);
    await anonymous.get('/sign-in'); // a page with a form: the session's CSRF token, so a post meets the guard
    for (const route of routes) {
      if (route.method === 'POST') await anonymous.get('/sign-in'); // a public post (sign-out) may have ended the session
      const res = route.method === 'GET' ? await anonymous.get(pathOf(route.url)) : await anonymous.post(pathOf(route.url), {});
      if (route.access === 'public') expect([res.status, route.url]).not.toEqual([403, route.url]);
      else {
        expect([res.status, route.url]).toEqual([303, route.url]);
        expect(res.location).toMatch(/^\/(staff\/)?sign-in\?back=/);
      }
    }
  });

  it.each(['resident', ...STAFF_ROLES] as Role[])(
    'refuses a %s every page its role may not use, and lets it past the guard of the others',
    async (role) => {
      const client = clients.get(role)!;
      for (const route of routes.filter((r) => r.access !== 'public')) {
        const path = pathOf(route.url);
        const res = route.method === 'GET' ? await client.get(path) : await client.post(path, {});
        const refused = res.status === 403 && /<h1[^>]*>[^<]*(cannot open|খুলতে পারবেন না)/.test(res.text);
        if (allows(route.access, role)) expect([route.method, route.url, refused]).toEqual([route.method, route.url, false]);
        else expect([route.method, route.url, res.status, refused]).toEqual([route.method, route.url, 403, true]);
      }
    },
  );
});
