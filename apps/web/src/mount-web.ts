import { dirname, join } from 'node:path';
import { type ArgumentsHost, Catch, type ExceptionFilter, NotFoundException } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '@civic/config';
import { projectRoot } from '@civic/platform';
import { loadAssets } from './assets-build';
import { ballotRoutes } from './routes/ballot.routes';
import { homeRoutes } from './routes/home.routes';
import { infoRoutes } from './routes/info.routes';
import { proposalRoutes } from './routes/proposal.routes';
import { resultRoutes } from './routes/result.routes';
import { signInRoutes } from './routes/sign-in.routes';
import { auditRoutes } from './routes/audit.routes';
import { signInWayRoutes } from './routes/sign-in-ways.routes';
import { reviewRoutes } from './routes/review.routes';
import { staffRoutes } from './routes/staff.routes';
import { serveVerifyAssets } from './routes/verify-assets';
import { adminRoutes } from './routes/admin.routes';
import { adminFileRoutes } from './routes/admin-files.routes';
import { allocationRoutes } from './routes/allocation.routes';
import { deliveryStaffRoutes } from './routes/delivery-staff.routes';
import { voidedRoutes } from './routes/voided.routes';
import { transparencyRoutes } from './routes/transparency.routes';
import { openDataRoutes } from './routes/open-data.routes';
import { paperRoutes } from './routes/paper.routes';
import { paperBatchRoutes } from './routes/paper-batch.routes';
import { voidRoutes } from './routes/void.routes';
import { notificationRoutes } from './routes/notifications.routes';
import { kioskRoutes } from './routes/kiosk.routes';
import { serializeCookie } from './setup/cookies';
import { setUpMultipart } from './setup/multipart';
import type { GraphqlRunner } from './graphql/execute';
import { openWebSessions } from './setup/web-sessions/open-web-sessions';
import { DEFAULT_SESSION_TIMES, type SessionTimes } from './setup/web-sessions/web-session';
import { acceptsGzip, LANGUAGE_COOKIE, WebApp } from './web-app';

export interface WebOptions {
  /** Where the session records live with `SESSION_STORE=sqlite`. @defaultValue web-sessions.sqlite beside the read models */
  readonly sessionsPath?: string;
  readonly sessionTimes?: SessionTimes;
  /** The clock of web sessions (epoch ms): tests move it. @defaultValue Date.now */
  readonly now?: () => number;
  /** More catalogue folders (the tests add a right-to-left one). */
  readonly extraLocaleDirs?: readonly string[];
}

const mounted = new WeakMap<FastifyInstance, WebApp>();

/** The web app mounted on this Fastify instance, once it is ready (tests walk its routes). */
export const webAppOf = (fastify: FastifyInstance): WebApp | undefined => mounted.get(fastify);

/** The API token of the page session behind a same-origin WebSocket upgrade (see WebApp.apiTokenOfUpgrade). */
export const webSocketTokenOf = (
  fastify: FastifyInstance,
  headers: { cookie?: string; origin?: string; host?: string },
): Promise<string | undefined> => mounted.get(fastify)?.apiTokenOfUpgrade(headers) ?? Promise.resolve(undefined);

/** Paths the API answers itself; everything else is a page (a 404 page when there is none). */
const API_PATHS = /^\/(graphql|health|metrics)(\/|\?|$)/;

/**
 * Mounts the residents' pages on the API's own Fastify instance, at `/` beside `/graphql`:
 * one process, one origin; `graphql` runs the pages' operations through the API's own pipeline.
 * Returns the exception filter that answers unknown page paths with the translated 404 page
 * (Nest's not-found handler throws NotFoundException).
 */
export function mountWeb(fastify: FastifyInstance, config: AppConfig, graphql: GraphqlRunner, options: WebOptions = {}): ExceptionFilter {
  const root = projectRoot();
  const sessionsPath =
    options.sessionsPath ??
    (config.READ_MODEL_PATH === ':memory:' ? ':memory:' : join(dirname(config.READ_MODEL_PATH), 'web-sessions.sqlite'));
  const development = config.NODE_ENV !== 'production';
  const holder: { web?: WebApp } = {};
  void fastify.register(async (instance) => {
    // With SESSION_STORE=postgres, in DATABASE_SCHEMA beside the API's sessions: every node reads the same records.
    const sessions = await openWebSessions(config, sessionsPath, options.sessionTimes ?? DEFAULT_SESSION_TIMES, options.now);
    const sweep = setInterval(() => void sessions.sweep().catch(() => undefined), 10 * 60_000).unref();
    instance.addHook('onClose', async () => {
      clearInterval(sweep);
      await sessions.close();
    });
    const assets = loadAssets(root);
    const web = new WebApp(instance, {
      root,
      localeDirs: [join(root, 'apps', 'web', 'locales'), ...(options.extraLocaleDirs ?? [])],
      sessions,
      secure: config.NODE_ENV === 'production',
      production: config.NODE_ENV === 'production',
      assets: { css: assets.css.path, js: assets.js.path },
      signInWays: signInWaysOf(config),
      graphql,
    });
    holder.web = web;
    mounted.set(fastify, web);
    instance.setErrorHandler((err: { statusCode?: number; code?: string }, req, reply) => {
      const status = err.statusCode === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 413 : err.statusCode === 429 ? 429 : 500;
      if (status === 500) req.log.error({ err }, 'page failed');
      web.sendError(req, reply, status);
    });
    for (const asset of [assets.css, assets.js]) {
      instance.get(asset.path, async (req, reply) => {
        reply
          .header('content-type', asset.type)
          .header('cache-control', 'public, max-age=31536000, immutable')
          .header('etag', asset.etag)
          .header('vary', 'Accept-Encoding');
        return acceptsGzip(req) ? reply.header('content-encoding', 'gzip').send(asset.gzipped) : reply.send(asset.body);
      });
    }
    serveVerifyAssets(instance, root);
    serveVerifyAssets(instance, root, 'staff');
    await setUpMultipart(instance);
    instance.get('/language', async (req: FastifyRequest<{ Querystring: { to?: string; back?: string } }>, reply: FastifyReply) => {
      const to = web.catalogues.has(String(req.query.to)) ? String(req.query.to) : 'en';
      const back = String(req.query.back ?? '/');
      reply.header('set-cookie', serializeCookie(LANGUAGE_COOKIE, to, { secure: !development, maxAgeSeconds: 365 * 86400 }));
      // Only a path of this site: never an open redirect.
      return reply.redirect(/^\/(?![/\\])/.test(back) ? back : '/', 303);
    });
    // Each area of the site is one module of routes; a new area adds its module to this list.
    const areas = [
      homeRoutes,
      signInRoutes,
      signInWayRoutes,
      proposalRoutes,
      ballotRoutes,
      resultRoutes,
      infoRoutes,
      staffRoutes,
      adminRoutes,
      adminFileRoutes,
      reviewRoutes,
      allocationRoutes,
      deliveryStaffRoutes,
      auditRoutes,
      voidedRoutes,
      transparencyRoutes,
      openDataRoutes,
      paperRoutes,
      paperBatchRoutes,
      voidRoutes,
      notificationRoutes,
      kioskRoutes,
    ];
    for (const routes of areas) {
      for (const route of routes(web)) web.page(route);
    }
  });
  return new WebNotFoundFilter(holder);
}

/** The ways of signing in the API's configuration switches on. */
const signInWaysOf = (config: AppConfig) => ({
  emailCode: config.RESIDENT_SIGN_IN_EMAIL_CODE,
  pollCard: config.RESIDENT_SIGN_IN_POLL_CARD,
  residentOidc: Boolean(config.OIDC_RESIDENT_ISSUER),
  staffOidc: Boolean(config.OIDC_STAFF_ISSUER),
  development: config.NODE_ENV !== 'production',
});

@Catch(NotFoundException)
class WebNotFoundFilter implements ExceptionFilter {
  constructor(private readonly holder: { web?: WebApp }) {}

  catch(exception: NotFoundException, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (this.holder.web && !API_PATHS.test(req.url) && (req.method === 'GET' || req.method === 'HEAD' || req.method === 'POST')) {
      return this.holder.web.sendError(req, reply, 404);
    }
    void reply.code(404).send(exception.getResponse());
  }
}
