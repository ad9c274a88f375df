import { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { join, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import nunjucks from 'nunjucks';
import { type Catalogue, loadCatalogues, type Params, translate } from './i18n/catalogue';
import { COUNCIL_TIME_ZONE, type Formats, formatsFor } from './i18n/formats';
import { execute, type GraphqlRunner } from './graphql/execute';
import type { ApiRefusal, Operation, Result } from './graphql/operation';
import { parseCookies, serializeCookie } from './setup/cookies';
import { CSRF_FIELD, csrfMatches } from './setup/csrf';
import { type Access, allows, guard, type Role } from './setup/page-guard';
import { newNonce, setSecurityHeaders } from './setup/web-security';
import {
  KIOSK_IDLE_MS,
  type KioskDevice,
  type MemoSlot,
  type SessionData,
  type WebPrincipal,
  type WebSessionStore,
  webSessionKeyOf,
} from './setup/web-sessions/web-session';

export const SESSION_COOKIE = 'civic_session';
export const LANGUAGE_COOKIE = 'civic_lang';

export type FormBody = Record<string, string | string[] | undefined>;

/** What a page handler answers: a view to render, or where to send the browser. */
export type PageResult =
  | { view: string; model?: Record<string, unknown>; status?: number }
  | { redirect: string }
  /** A file sent as it is made (an export), never held whole in memory. */
  | { download: { filename: string; contentType: string; body: AsyncIterable<string | Uint8Array> } }
  /** An answer to a page's own script (a chunk of an upload), never to a navigation. */
  | { json: unknown; status?: number };

/** One request as a page handler sees it. */
export interface PageContext {
  readonly req: FastifyRequest;
  readonly params: Record<string, string>;
  readonly query: Record<string, string | string[] | undefined>;
  readonly body: FormBody;
  readonly lang: string;
  readonly f: Formats;
  readonly principal?: WebPrincipal;
  t(key: string, params?: Params): string;
  /** Runs a GraphQL operation as this visitor. */
  gql<D, V>(op: Operation<D, V>, variables: V): Promise<Result<D>>;
  /** A new command id for a form (a double submit of the form is then a safe retry). */
  commandId(): string;
  /** The kiosk this device is in kiosk mode for, if it is. */
  readonly kiosk?: KioskDevice;
  /** Starts a new session (new id) for the principal; the old one is revoked. A device in kiosk mode stays in it. */
  signIn(principal: WebPrincipal): void;
  /** Ends the session, kiosk mode included. */
  signOut(): void;
  /** Keeps a note in this session, in this process's memory (nothing without a session). */
  keep(slot: MemoSlot, value: unknown): void;
  /** This session's note in `slot`, once: it is removed as it is read. */
  take(slot: MemoSlot): unknown;
  /** Starts a new session with nobody signed in, in kiosk mode for `kiosk` (the old one is revoked). */
  enterKiosk(kiosk: KioskDevice): void;
  /** Starts a new session for the same principal, out of kiosk mode. */
  leaveKiosk(): void;
}

export interface PageRoute {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly access: Access;
  /**
   * A staff task listed on the staff home page (`/staff`) for the roles its access allows:
   * the catalogue keys of its link text and of one line saying what it is for, and the group
   * it is listed under (`setup`, `review`, `voting`, `results`, `audit`, …).
   */
  readonly menu?: { readonly label: string; readonly hint: string; readonly group: string };
  handle(ctx: PageContext): Promise<PageResult>;
}

export interface WebAppOptions {
  readonly root: string;
  readonly localeDirs: readonly string[];
  readonly sessions: WebSessionStore;
  /** Secure cookies and HSTS (everywhere but development and tests). */
  readonly secure: boolean;
  readonly production: boolean;
  /** The path of the built stylesheet and script, with their content hashes. */
  readonly assets: { css: string; js: string };
  /** Which ways of signing in the configuration switches on (the sign-in pages offer these only). */
  readonly signInWays?: SignInWays;
  /** How pages run their operations: through the API's own GraphQL pipeline, in process. */
  readonly graphql: GraphqlRunner;
}

/** The ways of signing in that the API is configured for. */
export interface SignInWays {
  readonly emailCode: boolean;
  readonly pollCard: boolean;
  readonly residentOidc: boolean;
  readonly staffOidc: boolean;
  /** The development sign-in (never in production). */
  readonly development: boolean;
}

/**
 * The views' loader, which keeps where each relative include and import of a template leads: a
 * GOV.UK component includes its template and imports its attribute macros at every call, and
 * working out those paths again was a fifth to a third of rendering a confirmation page.
 */
class TemplateLoader extends nunjucks.FileSystemLoader {
  private readonly resolved = new Map<string, string>();

  override resolve(from: string, to: string): string {
    const key = `${from}\n${to}`;
    let path = this.resolved.get(key);
    if (path === undefined) {
      path = super.resolve(from, to);
      this.resolved.set(key, path);
    }
    return path;
  }
}

/** A compiled template as Nunjucks keeps it: where it was read from, and what importing it gives. */
interface LoadedTemplate {
  readonly path?: string;
  getExported(...args: unknown[]): unknown;
}

type Exported = (err: unknown, exported?: unknown) => void;

/**
 * The views' environment, which imports a GOV.UK Frontend macro file once: those files only
 * define macros, so what `{% from … import … %}` gets from one (without the importer's context)
 * is the same at every render, yet Nunjucks runs the file again at each import, and every
 * component's template imports its attribute macros at every call of the component (about a
 * fifth of rendering a confirmation page). Imports with context, and every other template, run
 * as before.
 */
class Views extends nunjucks.Environment {
  private readonly seen = new WeakSet<object>();

  constructor(
    loader: nunjucks.ILoader,
    options: nunjucks.ConfigureOptions,
    private readonly macroDir: string,
  ) {
    super(loader, options);
  }

  override getTemplate(...args: unknown[]): never {
    const getTemplate = super.getTemplate as (...a: unknown[]) => LoadedTemplate | undefined;
    const at = args.findIndex((a) => typeof a === 'function');
    if (at < 0) return this.importedOnce(getTemplate.apply(this, args)) as never;
    const done = args[at] as (err: unknown, tmpl?: LoadedTemplate) => void;
    args[at] = (err: unknown, tmpl?: LoadedTemplate) => done(err, this.importedOnce(tmpl));
    return getTemplate.apply(this, args) as never;
  }

  private importedOnce(tmpl: LoadedTemplate | undefined): LoadedTemplate | undefined {
    if (!tmpl || this.seen.has(tmpl) || !tmpl.path?.startsWith(this.macroDir)) return tmpl;
    this.seen.add(tmpl);
    const run = tmpl.getExported.bind(tmpl);
    let exported: unknown;
    // Nunjucks calls getExported(callback) for an import without context, (context, frame, callback) with it.
    tmpl.getExported = (...a: unknown[]) => {
      if (a.length !== 1 || typeof a[0] !== 'function') return run(...a);
      const cb = a[0] as Exported;
      if (exported !== undefined) return cb(null, exported);
      return run((err: unknown, result?: unknown) => {
        if (!err) exported = result;
        cb(err, result);
      });
    };
    return tmpl;
  }
}

/**
 * How pages are compressed: zlib's level 3 (its fast matcher) took half to two thirds of the CPU
 * of its default 6 for a confirmation page (4.5 KB) and a page ten times that size, for 6% more
 * bytes on the small page (1,685 rather than 1,583), about 100 bytes on a slow line.
 */
const PAGE_GZIP = { level: 3 } as const;

/** Paths whose language switch is kept (a few hundred bytes each): a page's, a fund's, a pot's. */
const MAX_SWITCHES = 2000;

/** A refusal of the API that the pages show as a page of its own rather than on a form. */
const PAGE_CODES: Record<string, number> = { RATE_LIMITED: 429, INTERNAL_SERVER_ERROR: 500, UNAVAILABLE: 503 };

/**
 * The residents' pages on the API's Fastify instance: language, session, CSRF, page guard,
 * security headers and error pages, each in one place; routes only read through GraphQL and
 * render a view model.
 */
export class WebApp {
  readonly catalogues: Map<string, Catalogue>;
  /** Every page registered, in order (the staff menu and the page authorization test read it). */
  readonly routes: PageRoute[] = [];
  private readonly english: Catalogue;
  private readonly views: nunjucks.Environment;
  private readonly formats = new Map<string, Formats>();
  readonly signInWays: SignInWays;

  constructor(
    private readonly fastify: FastifyInstance,
    private readonly options: WebAppOptions,
  ) {
    this.catalogues = loadCatalogues(options.localeDirs);
    this.signInWays = options.signInWays ?? {
      emailCode: false,
      pollCard: false,
      residentOidc: false,
      staffOidc: false,
      development: !options.production,
    };
    const english = this.catalogues.get('en');
    if (!english) throw new Error('The English catalogue (en.json) is missing.');
    this.english = english;
    const govuk = join(options.root, 'node_modules', 'govuk-frontend', 'dist');
    this.views = new Views(
      new TemplateLoader([join(options.root, 'apps', 'web', 'views'), govuk], {
        noCache: false,
      }),
      { autoescape: true, throwOnUndefined: false },
      join(govuk, 'govuk') + sep,
    );
    this.views.addFilter('min', (values: number[]) => Math.min(...values));
    this.views.addFilter('max', (values: number[]) => Math.max(...values));
  }

  /** The languages on the switch: English, then the others by their own name (sorted once: every page shows them). */
  get languages(): { code: string; name: string }[] {
    return this.languageList().map((l) => ({ ...l }));
  }

  private sortedLanguages?: readonly { readonly code: string; readonly name: string }[];

  private languageList() {
    return (this.sortedLanguages ??= [...this.catalogues.values()]
      .map((c) => ({ code: c.lang, name: c.meta.name }))
      .sort((a, b) => (a.code === 'en' ? -1 : b.code === 'en' ? 1 : a.name.localeCompare(b.name))));
  }

  formatsOf(lang: string): Formats {
    let f = this.formats.get(lang);
    if (!f) {
      f = formatsFor(this.catalogueOf(lang).meta.intl, this.t(lang, 'formats.dateAtTime'));
      this.formats.set(lang, f);
    }
    return f;
  }

  private catalogueOf(lang: string): Catalogue {
    return this.catalogues.get(lang) ?? this.english;
  }

  /** The language of a request: the remembered choice, else the browser's preference among ours, else English. */
  languageOf(req: FastifyRequest, cookies = parseCookies(req.headers.cookie)): string {
    const chosen = cookies[LANGUAGE_COOKIE];
    if (chosen && this.catalogues.has(chosen)) return chosen;
    const accept = String(req.headers['accept-language'] ?? '');
    for (const part of accept.split(',')) {
      const tag = part.split(';')[0].trim().toLowerCase().split('-')[0];
      if (tag && this.catalogues.has(tag)) return tag;
    }
    return 'en';
  }

  t(lang: string, key: string, params?: Params): string {
    return translate(this.catalogueOf(lang), this.english, key, params);
  }

  /** Registers a page; the page guard runs before its handler, the CSRF check before any post. */
  page(route: PageRoute): void {
    guard(route.access, undefined); // throws now, at start-up, for a route without declared access
    this.routes.push(route);
    this.fastify.route({
      method: route.method,
      url: route.url,
      handler: (req, reply) => this.serve(route, req, reply),
    });
  }

  /**
   * The API token of the signed-in page session behind a WebSocket upgrade from one of this site's
   * own pages: the live pages' scripts connect to /graphql with the session cookie alone, so the
   * token stays on the server. Only for the same origin (a WebSocket is not bound by CORS, and the
   * browser sends cookies with it): an upgrade from another site gets nothing.
   */
  async apiTokenOfUpgrade(headers: { cookie?: string; origin?: string; host?: string }): Promise<string | undefined> {
    const { origin, host } = headers;
    if (!origin || !host) return undefined;
    try {
      if (new URL(origin).host !== host) return undefined;
    } catch {
      return undefined;
    }
    return (await this.options.sessions.get(parseCookies(headers.cookie)[SESSION_COOKIE]))?.principal?.apiToken;
  }

  private async serve(route: PageRoute, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> {
    const cookies = parseCookies(req.headers.cookie);
    let sessionId: string | undefined = cookies[SESSION_COOKIE];
    // The session's key (its id's hash) is worked out once for the request: its lookup, its notes.
    let sessionKey = sessionId && sessionId.length <= 100 ? webSessionKeyOf(sessionId) : undefined;
    let session: SessionData | undefined = await this.options.sessions.get(sessionId, sessionKey);
    if (!session) sessionId = sessionKey = undefined;
    const keyOfSession = () => (sessionId ? (sessionKey ??= webSessionKeyOf(sessionId)) : undefined);
    const lang = this.languageOf(req, cookies);
    const setCookie: string[] = [];
    // The handlers change the session at once, as they see it; its records are written meanwhile, and the answer waits for them.
    const writes: Promise<void>[] = [];
    const write = (done: Promise<void>) => {
      done.catch(() => undefined); // awaited by `written`: never an unhandled rejection meanwhile
      writes.push(done);
    };
    // Most requests write nothing: then nothing is waited for (every await of a page is a turn of the event loop).
    const written = () => Promise.all(writes.splice(0));
    const startSession = (principal?: WebPrincipal, kiosk?: KioskDevice) => {
      if (sessionId) write(this.options.sessions.revoke(sessionId));
      const created = this.options.sessions.create(principal, kiosk);
      write(created.saved);
      sessionId = created.id;
      sessionKey = undefined;
      session = created.data;
      setCookie.push(serializeCookie(SESSION_COOKIE, created.id, { secure: this.options.secure }));
    };
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as FormBody;
    if (route.method === 'POST' && !csrfMatches(session?.csrf, body[CSRF_FIELD])) {
      return this.sendPage(req, reply, lang, { view: 'pages/error-csrf.njk', status: 403 }, session, setCookie);
    }
    const verdict = guard(route.access, session?.principal?.role);
    if (verdict === 'sign-in') {
      const back = req.method === 'GET' ? req.url : '/';
      const staffPage = typeof route.access === 'object';
      // A kiosk's residents sign in at its own start page.
      if (session?.kiosk && !staffPage) return void reply.redirect('/kiosk', 303);
      return void reply.redirect(`${staffPage ? '/staff/sign-in' : '/sign-in'}?back=${encodeURIComponent(back)}`, 303);
    }
    if (verdict === 'forbidden') {
      return this.sendPage(req, reply, lang, { view: 'pages/error-403.njk', status: 403 }, session, setCookie);
    }
    const ctx: PageContext = {
      req,
      params: (req.params ?? {}) as Record<string, string>,
      query: (req.query ?? {}) as PageContext['query'],
      body,
      lang,
      f: this.formatsOf(lang),
      get principal() {
        return session?.principal;
      },
      get kiosk() {
        return session?.kiosk;
      },
      t: (key, params) => this.t(lang, key, params),
      gql: async (op, variables) => {
        const result = await execute(this.options.graphql, op, variables, { ip: req.ip, apiToken: session?.principal?.apiToken });
        if (!result.ok && result.errors.some((e) => e.code === 'AUTH.UNAUTHENTICATED') && session?.principal) {
          // The API no longer takes the token (expired or revoked): the web session ends with it.
          if (sessionId) write(this.options.sessions.revoke(sessionId));
          throw new SignInAgain();
        }
        return result;
      },
      commandId: () => randomUUID(),
      keep: (slot, value) => {
        const key = keyOfSession();
        if (key) this.options.sessions.keep(key, slot, value);
      },
      take: (slot) => {
        const key = keyOfSession();
        return key ? this.options.sessions.take(key, slot) : undefined;
      },
      signIn: (principal) => startSession(principal, session?.kiosk),
      enterKiosk: (kiosk) => startSession(undefined, kiosk),
      leaveKiosk: () => startSession(session?.principal),
      signOut: () => {
        if (sessionId) write(this.options.sessions.revoke(sessionId));
        sessionId = sessionKey = undefined;
        session = undefined;
        setCookie.push(serializeCookie(SESSION_COOKIE, '', { secure: this.options.secure, maxAgeSeconds: 0 }));
      },
    };
    let result: PageResult;
    try {
      result = await route.handle(ctx);
    } catch (err) {
      if (writes.length) await written();
      if (err instanceof SignInAgain && session?.kiosk) {
        // At a kiosk the device stays in kiosk mode: back to its start page, nobody signed in.
        startSession(undefined, session.kiosk);
        if (writes.length) await written();
        reply.header('set-cookie', setCookie);
        return void reply.redirect('/kiosk?expired=1', 303);
      }
      if (err instanceof SignInAgain) {
        reply.header('set-cookie', serializeCookie(SESSION_COOKIE, '', { secure: this.options.secure, maxAgeSeconds: 0 }));
        return void reply.redirect(`/sign-in?expired=1`, 303);
      }
      if (err instanceof PageRefused) {
        result = { view: `pages/error-${err.status}.njk`, status: err.status };
      } else throw err;
    }
    if (writes.length) await written();
    if ('redirect' in result) {
      if (setCookie.length) reply.header('set-cookie', setCookie);
      return void reply.redirect(result.redirect, 303);
    }
    if ('json' in result) {
      if (setCookie.length) reply.header('set-cookie', setCookie);
      return reply
        .code(result.status ?? 200)
        .header('cache-control', 'no-store')
        .send(result.json);
    }
    if ('download' in result) {
      const { filename, contentType, body } = result.download;
      if (setCookie.length) reply.header('set-cookie', setCookie);
      reply
        .header('content-type', contentType)
        .header('content-disposition', `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`)
        .header('cache-control', 'no-store');
      return reply.send(Readable.from(body));
    }
    // A page with a form needs a session to hold its token: start an anonymous one.
    if (!session) startSession();
    if (writes.length) await written();
    return this.sendPage(req, reply, lang, result, session, setCookie);
  }

  private sendPage(
    req: FastifyRequest,
    reply: FastifyReply,
    lang: string,
    result: { view: string; model?: Record<string, unknown>; status?: number },
    session: SessionData | undefined,
    setCookie: string[] = [],
  ): void {
    const nonce = newNonce();
    setSecurityHeaders(reply, nonce, this.options.production);
    if (setCookie.length) reply.header('set-cookie', setCookie);
    const html = this.render(
      result.view,
      { ...result.model, csrfToken: session?.csrf ?? '', principal: session?.principal },
      lang,
      req,
      nonce,
    );
    reply
      .code(result.status ?? 200)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('vary', 'Cookie, Accept-Language, Accept-Encoding');
    // A page is a few KB: compressed at once (a cheap phone on a slow line gets a fifth of it).
    if (acceptsGzip(req)) reply.header('content-encoding', 'gzip').send(gzipSync(html, PAGE_GZIP));
    else reply.send(html);
  }

  render(view: string, model: Record<string, unknown>, lang: string, req: FastifyRequest, nonce: string): string {
    const path = req.url.length > 2000 ? '/' : req.url;
    // Nunjucks copies the context it is given: one object, the page's model under what every page has.
    // Assigned, not spread: V8 spread the second object into the literal property by property, at
    // about 12 µs a page (a third of rendering a confirmation page); assigning takes well under one.
    return this.views.render(
      view,
      Object.assign({}, model, this.pageGlobalsOf(lang), { nonce, currentPath: path, languages: this.switchOf(lang, path) }),
    );
  }

  private readonly pageGlobals = new Map<string, Readonly<Record<string, unknown>>>();

  /** What every page of a language has in its context, made once per language (a page reads them, never changes them). */
  private pageGlobalsOf(lang: string): Readonly<Record<string, unknown>> {
    let globals = this.pageGlobals.get(lang);
    if (!globals) {
      const catalogue = this.catalogueOf(lang);
      globals = Object.freeze({
        lang,
        dir: catalogue.meta.dir,
        reviewed: catalogue.meta.reviewed,
        t: (key: string, params?: Params) => this.t(lang, key, params),
        f: this.formatsOf(lang),
        // The zone of what belongs to no fund (a fund's own dates take its `timeZone`).
        councilTimeZone: COUNCIL_TIME_ZONE,
        assets: this.options.assets,
        kioskIdleSeconds: KIOSK_IDLE_MS / 1000,
      });
      this.pageGlobals.set(lang, globals);
    }
    return globals;
  }

  /** The language switch of a page: the same for every visitor of the same path, so kept for the paths visited last. */
  private readonly switches = new Map<string, readonly { code: string; name: string; href: string; current: boolean }[]>();

  private switchOf(lang: string, path: string) {
    const key = `${lang} ${path}`;
    let list = this.switches.get(key);
    if (!list) {
      list = Object.freeze(
        this.languageList().map((l) =>
          Object.freeze({ ...l, href: `/language?to=${l.code}&back=${encodeURIComponent(path)}`, current: l.code === lang }),
        ),
      );
      if (this.switches.size >= MAX_SWITCHES) this.switches.delete(this.switches.keys().next().value!);
      this.switches.set(key, list);
    }
    return list;
  }

  /** The staff tasks a principal of this role may open, by group, in registration order. */
  menuFor(role: Role | undefined): { group: string; items: { href: string; label: string; hint: string }[] }[] {
    const groups = new Map<string, { href: string; label: string; hint: string }[]>();
    for (const route of this.routes) {
      if (route.method !== 'GET' || !route.menu || !allows(route.access, role)) continue;
      const list = groups.get(route.menu.group) ?? [];
      list.push({ href: route.url, label: route.menu.label, hint: route.menu.hint });
      groups.set(route.menu.group, list);
    }
    return [...groups].map(([group, items]) => ({ group, items }));
  }

  /** A whole error page (404, 413, 429, 500) for a request the pages did not answer. */
  sendError(req: FastifyRequest, reply: FastifyReply, status: 404 | 413 | 429 | 500 | 503): void {
    const lang = this.languageOf(req);
    this.sendPage(req, reply, lang, { view: `pages/error-${status === 503 ? 500 : status}.njk`, status }, undefined);
  }
}

export const acceptsGzip = (req: FastifyRequest) => /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));

/** Thrown by a page when the API refused in a way no form can show: the page of that status is shown. */
export class PageRefused extends Error {
  constructor(readonly status: 404 | 429 | 500) {
    super(`page refused: ${status}`);
  }
}

/** Thrown by `gql` when the API no longer takes the session's token: the session has ended. */
export class SignInAgain extends Error {}

/** The data of a result, or the error page its refusal calls for (404 for NOT_FOUND, 429, 500). */
export function dataOr404<D>(result: Result<D>): D {
  if (result.ok) return result.data;
  throw new PageRefused(pageStatusOf(result.errors));
}

export function pageStatusOf(errors: readonly ApiRefusal[]): 404 | 429 | 500 {
  const code = errors[0]?.code ?? '';
  if (code === 'RATE_LIMITED') return 429;
  if (code.endsWith('NOT_FOUND') || code === 'INPUT.INVALID' || code === 'AUTH.FORBIDDEN') return 404;
  return (PAGE_CODES[code] as 429 | 500 | undefined) ?? 500;
}

/** Refusals a form cannot show by a field (the rate limit, a server fault) become their page. */
export function refuseUnlessFormError(errors: readonly ApiRefusal[]): void {
  const code = errors[0]?.code ?? '';
  if (code in PAGE_CODES) throw new PageRefused(PAGE_CODES[code] === 503 ? 500 : (PAGE_CODES[code] as 429 | 500));
}
