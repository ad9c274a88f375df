import { type IncomingHttpHeaders, request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { startWeb, WebClient } from './web-client';

let api: Awaited<ReturnType<typeof startWeb>>;

beforeAll(async () => {
  api = await startWeb({ MAX_BODY_BYTES: '4096' });
});
afterAll(() => api.stop());

describe('the residents’ web foundation', () => {
  it('serves the home page at / beside /graphql, with a CSP nonce per response and the security headers', async () => {
    const web = new WebClient(api.url);
    const [a, b] = [await web.get('/'), await web.get('/')];
    expect(a.status).toBe(200);
    expect(a.text).toMatch(/<html lang="en" dir="ltr"/);
    const nonce = (r: typeof a) => /script-src 'self' 'nonce-([^']+)'/.exec(r.headers.get('content-security-policy') ?? '')?.[1];
    expect(nonce(a)).toBeTruthy();
    expect(nonce(a)).not.toBe(nonce(b));
    expect(a.text).toContain(`<script nonce="${nonce(a)}">`);
    expect(a.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(a.headers.get('x-content-type-options')).toBe('nosniff');
    expect(a.headers.get('x-frame-options')).toBe('DENY');
    expect(a.text).not.toMatch(/crown|GDS Transport|https?:\/\/(?!www\.w3\.org)/i);
    const gql = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ version { version } }"}',
    });
    expect(gql.status).toBe(200);
  });

  it('sends a page gzipped to a browser that asks for it, and as it is to one that does not', async () => {
    const get = (headers: Record<string, string>) =>
      new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        const req = request(`${api.url}/receipt`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject).end();
      });
    const [zipped, plain] = [await get({ 'accept-encoding': 'gzip, deflate, br, zstd' }), await get({})];
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    for (const r of [zipped, plain]) expect(r.headers.vary).toContain('Accept-Encoding');
    const html = gunzipSync(zipped.body).toString();
    const nonceOf = (h: IncomingHttpHeaders) => /'nonce-([^']+)'/.exec(String(h['content-security-policy']))![1];
    // The same page either way, but for its own nonce and form token.
    const same = (page: string, h: IncomingHttpHeaders) =>
      page.replaceAll(nonceOf(h), 'NONCE').replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value="TOKEN"');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 2);
    expect(same(html, zipped.headers)).toBe(same(plain.body.toString(), plain.headers));
  });

  it('keeps sessions on the server: HttpOnly SameSite=Lax cookie, a new id at sign-in, sign-out revokes it', async () => {
    const web = new WebClient(api.url);
    const page = await web.get('/sign-in');
    const cookie = page.headers.getSetCookie().find((c) => c.startsWith('civic_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // outside production only
    const anonymous = web.cookies.get('civic_session')!;
    const signedIn = await web.post('/sign-in', { reference: 'TH-700001', back: '/receipt' });
    expect(signedIn.location).toBe('/receipt');
    const id = web.cookies.get('civic_session')!;
    expect(id).not.toBe(anonymous);
    expect((await web.get('/')).text).toContain('Signed in as TH-700001');
    // The anonymous id was revoked at sign-in: it is a stranger again.
    const old = new WebClient(api.url);
    old.cookies.set('civic_session', anonymous);
    expect((await old.get('/funds/f/propose')).status).toBe(303);
    await web.get('/');
    const out = await web.post('/sign-out', {});
    expect(out.status).toBe(303);
    const replay = new WebClient(api.url);
    replay.cookies.set('civic_session', id);
    const guarded = await replay.get('/funds/f/propose');
    expect(guarded.status).toBe(303);
    expect(guarded.location).toBe('/sign-in?back=%2Ffunds%2Ff%2Fpropose');
  });

  it('refuses a form post without the session’s CSRF token, and signs nobody in', async () => {
    const web = new WebClient(api.url);
    await web.get('/sign-in');
    const forged = await web.post('/sign-in', { reference: 'TH-700002' }, { csrf: 'not-the-token' });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('This form has expired');
    const none = new WebClient(api.url);
    expect((await none.post('/sign-in', { reference: 'TH-700002' }, { csrf: null as unknown as string })).status).toBe(403);
    expect((await web.get('/')).text).toContain('You are not signed in');
  });

  it('remembers the language chosen, in a cookie, and never redirects off the site', async () => {
    const web = new WebClient(api.url);
    const switched = await web.get('/language?to=bn&back=%2Fcookies');
    expect(switched.location).toBe('/cookies');
    expect(switched.headers.getSetCookie()[0]).toMatch(/^civic_lang=bn; Path=\/; SameSite=Lax; HttpOnly/);
    const page = await web.get('/cookies');
    expect(page.text).toMatch(/<html lang="bn" dir="ltr"/);
    expect(page.text).toContain('কুকিজ');
    expect(page.text).toContain('মাতৃভাষী'); // awaiting review by a native speaker
    expect((await web.get('/language?to=bn&back=%2F%2Fevil.example')).location).toBe('/');
    expect((await web.get('/language?to=xx&back=/')).headers.getSetCookie()[0]).toMatch(/^civic_lang=en;/);
  });

  it('renders a page right to left from a catalogue with dir rtl (test-only catalogue)', async () => {
    const web = new WebClient(api.url);
    await web.get('/language?to=ar&back=/');
    const page = await web.get('/');
    expect(page.text).toMatch(/<html lang="ar" dir="rtl"/);
    expect(page.text).toContain('اختبار من اليمين إلى اليسار');
    expect(page.text).toContain('Tower Hamlets Council'); // keys it lacks fall back to English
  });

  it('answers unknown pages, a too-large post and a guarded page in the resident’s language', async () => {
    const web = new WebClient(api.url);
    const missing = await web.get('/no-such-page', { 'accept-language': 'bn-BD,bn;q=0.9' });
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('পাতাটি পাওয়া যায়নি');
    expect(missing.headers.get('content-security-policy')).toBeTruthy();
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
    await web.get('/sign-in');
    const huge = await web.post('/sign-in', { reference: 'x'.repeat(10_000) });
    expect(huge.status).toBe(413);
    expect(huge.text).toContain('What you sent is too large');
  });
});
