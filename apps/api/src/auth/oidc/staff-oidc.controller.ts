import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '@civic/config';
import { APP_CONFIG } from '../../tokens';
import { SignInRefused, StaffOidcService } from './staff-oidc.service';

const COOKIE = 'civic_staff_login';
const PATH = '/auth/staff';

/**
 * The browser's side of the staff sign-in: `/auth/staff/login` sends it to the provider with the
 * login state in a short-lived HttpOnly cookie; `/auth/staff/callback` finishes the code flow and
 * starts an API session. With `OIDC_STAFF_RETURN_URL` it redirects there with `?signin=<code>`
 * (the web app redeems the code once, server-side, with `redeemSignIn`) or `?error=<AUTH code>`;
 * without, it answers JSON (`{ token, subject, role, expiresAt }` or `{ error: { code, message } }`).
 */
@Controller(PATH)
export class StaffOidcController {
  constructor(
    private readonly oidc: StaffOidcService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('login')
  async login(@Res() reply: FastifyReply): Promise<void> {
    if (!this.oidc.enabled) return void reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'Staff sign-in is not configured.' } });
    try {
      const { url, sealedState } = await this.oidc.begin();
      reply.header('set-cookie', this.cookie(sealedState, 600)).header('cache-control', 'no-store').redirect(url, 302);
    } catch (err) {
      this.refuse(reply, err);
    }
  }

  @Get('callback')
  async callback(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!this.oidc.enabled) return void reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'Staff sign-in is not configured.' } });
    reply.header('set-cookie', this.cookie('', 0)).header('cache-control', 'no-store');
    try {
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const started = await this.oidc.complete(query, cookieValue(request.headers.cookie, COOKIE));
      const returnUrl = this.config.OIDC_STAFF_RETURN_URL;
      if (returnUrl) {
        const target = new URL(returnUrl);
        target.searchParams.set('signin', await this.oidc.handoff(started));
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
    const returnUrl = this.config.OIDC_STAFF_RETURN_URL;
    if (returnUrl) {
      const target = new URL(returnUrl);
      target.searchParams.set('error', err.code);
      return void reply.redirect(target.href, 303);
    }
    reply.code(err.status).send({ error: { code: err.code, message: err.message } });
  }

  private cookie(value: string, maxAge: number): string {
    const secure = this.config.NODE_ENV === 'production' ? '; Secure' : '';
    return `${COOKIE}=${value}; Path=${PATH}; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
  }
}

/** One cookie's value from a Cookie header (the only cookie this API reads). */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
