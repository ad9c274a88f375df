import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '@civic/config';
import { APP_CONFIG, AUTH_CLOCK, JWT_SECRET } from '../../tokens';
import type { AuthClock } from '../auth-clock';
import { SessionService, type StartedSession } from '../session.service';
import { OidcCodeFlow, SignInRefused } from './oidc-code-flow';
import { ResidentOidcService } from './resident-oidc.service';
import { StaffOidcService } from './staff-oidc.service';

/** What a kind of sign-in (staff or residents) makes of the provider's claims. */
interface ClaimsSignIn {
  signIn(claims: Record<string, unknown>): Promise<StartedSession>;
}

/**
 * The browser's side of an OpenID Connect sign-in: `…/login` sends it to the provider with the
 * login state in a short-lived HttpOnly cookie; `…/callback` finishes the code flow and starts an
 * API session. With a return URL (`OIDC_*_RETURN_URL`) it redirects there with `?signin=<code>`
 * (the web app redeems the code once, server-side, with `redeemSignIn`) or `?error=<AUTH code>`;
 * without, it answers JSON (`{ token, subject, role, expiresAt }` or `{ error: { code, message } }`).
 */
abstract class OidcRoutes {
  private readonly flow?: OidcCodeFlow;
  private readonly returnUrl?: string;

  constructor(
    private readonly kind: ClaimsSignIn,
    private readonly sessions: SessionService,
    private readonly config: AppConfig,
    private readonly who: 'staff' | 'resident',
    secret: string,
    clock: AuthClock,
  ) {
    this.flow = OidcCodeFlow.configured(config, who, secret, clock);
    this.returnUrl = who === 'staff' ? config.OIDC_STAFF_RETURN_URL : config.OIDC_RESIDENT_RETURN_URL;
  }

  private get cookieName(): string {
    return `civic_${this.who}_login`;
  }

  @Get('login')
  async login(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!this.flow) return void reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'This sign-in is not configured.' } });
    try {
      const { url, sealedState } = await this.flow.begin(localPath((request.query as { back?: unknown } | undefined)?.back));
      reply.header('set-cookie', this.cookie(sealedState, 600)).header('cache-control', 'no-store').redirect(url, 302);
    } catch (err) {
      this.refuse(reply, err);
    }
  }

  @Get('callback')
  async callback(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!this.flow) return void reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'This sign-in is not configured.' } });
    reply.header('set-cookie', this.cookie('', 0)).header('cache-control', 'no-store');
    try {
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const { claims, back } = await this.flow.complete(query, cookieValue(request.headers.cookie, this.cookieName));
      const started = await this.kind.signIn(claims);
      if (this.returnUrl) {
        const target = new URL(this.returnUrl);
        target.searchParams.set('signin', await this.sessions.handoff(started.token));
        if (back) target.searchParams.set('back', back);
        return void reply.redirect(target.href, 303);
      }
      const { session } = started;
      reply.send({ token: started.token, subject: session.subject, role: session.role, expiresAt: new Date(session.absoluteExpiresAt) });
    } catch (err) {
      this.refuse(reply, err);
    }
  }

  private refuse(reply: FastifyReply, err: unknown): void {
    if (!(err instanceof SignInRefused)) throw err;
    if (this.returnUrl) {
      const target = new URL(this.returnUrl);
      target.searchParams.set('error', err.code);
      return void reply.redirect(target.href, 303);
    }
    reply.code(err.status).send({ error: { code: err.code, message: err.message } });
  }

  private cookie(value: string, maxAge: number): string {
    const secure = this.config.NODE_ENV === 'production' ? '; Secure' : '';
    return `${this.cookieName}=${value}; Path=/auth/${this.who}; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
  }
}

/** `/auth/staff/login` and `/auth/staff/callback`. */
@Controller('auth/staff')
export class StaffOidcController extends OidcRoutes {
  constructor(
    staff: StaffOidcService,
    sessions: SessionService,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(JWT_SECRET) secret: string,
    @Inject(AUTH_CLOCK) clock: AuthClock,
  ) {
    super(staff, sessions, config, 'staff', secret, clock);
  }
}

/** `/auth/resident/login` and `/auth/resident/callback`. */
@Controller('auth/resident')
export class ResidentOidcController extends OidcRoutes {
  constructor(
    residents: ResidentOidcService,
    sessions: SessionService,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(JWT_SECRET) secret: string,
    @Inject(AUTH_CLOCK) clock: AuthClock,
  ) {
    super(residents, sessions, config, 'resident', secret, clock);
  }
}

/** `?back=` of a login: a path of this site to return to after signing in, never another site. */
function localPath(back: unknown): string | undefined {
  return typeof back === 'string' && /^\/(?![/\\])/.test(back) && back.length < 2000 ? back : undefined;
}

/** One cookie's value from a Cookie header (the only cookies this API reads). */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
