import { join } from 'node:path';
import { startApi } from '../support/api-client';

/** The API with the residents' pages, and a test-only right-to-left catalogue. */
export const startWeb = (env: Record<string, string> = {}) =>
  startApi(env, { web: { extraLocaleDirs: [join(__dirname, '..', 'fixtures', 'rtl-locale')] } });

/** A browser without JavaScript: follows nothing by itself, keeps cookies, reads form tokens. */
export class WebClient {
  readonly cookies = new Map<string, string>();
  lastCsrf = '';

  constructor(readonly base: string) {}

  async get(path: string, headers: Record<string, string> = {}) {
    return this.request('GET', path, undefined, headers);
  }

  /** Posts a form with this session's CSRF token (unless one is given). */
  async post(path: string, fields: Record<string, string | string[]>, { csrf = this.lastCsrf } = {}) {
    const body = new URLSearchParams();
    if (csrf !== null) body.append('_csrf', csrf);
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.request('POST', path, body.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  }

  async request(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
    const res = await fetch(this.base + path, {
      method,
      body,
      redirect: 'manual',
      headers: { ...headers, cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (/Max-Age=0/.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(text);
    if (csrf) this.lastCsrf = csrf[1];
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') ?? '' };
  }

  /** Follows a 303 like a browser. */
  async follow(res: { status: number; location: string }) {
    expect(res.status).toBe(303);
    return this.get(res.location);
  }

  async signIn(reference: string) {
    await this.get('/sign-in');
    const res = await this.post('/sign-in', { reference, back: '/' });
    expect(res.status).toBe(303);
    await this.get('/'); // the new session's form token, as a browser gets it on the next page
    return res;
  }
}

/** A hidden field's value in a page. */
export const hidden = (html: string, name: string) =>
  new RegExp(`name="${name.replace(/\./g, '\\.')}" value="([^"]*)"`).exec(html)?.[1] ?? '';

/** The text of a page's GOV.UK error summary, tags removed and apostrophes decoded; empty when there is none. */
export const errorSummary = (html: string) =>
  /govuk-error-summary__list">([\s\S]*?)<\/ul>/
    .exec(html)?.[1]
    .replace(/<[^>]+>/g, '')
    .replace(/&#39;/g, "'")
    .trim() ?? '';
