import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { loadOpenidClient, LoginStateSeal, staffRoleFrom, type SessionStore } from '@civic/auth';
import type { AppConfig } from '@civic/config';
import { APP_CONFIG, AUTH_CLOCK, JWT_SECRET, SESSION_STORE } from '../../tokens';
import type { AuthClock } from '../auth-clock';
import { SessionService, type StartedSession } from '../session.service';
import { StaffAccessLog } from './staff-access-log';

type Configuration = Awaited<ReturnType<Awaited<ReturnType<typeof loadOpenidClient>>['discovery']>>;

/** A sign-in the callback refused, with a stable code and a plain message. */
export class SignInRefused extends Error {
  constructor(
    readonly code: 'AUTH.NO_ROLE' | 'AUTH.SIGN_IN_FAILED' | 'AUTH.SIGN_IN_EXPIRED' | 'AUTH.UNAVAILABLE',
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'SignInRefused';
  }
}

/** The login state lives ten minutes: long enough to type a password and a second factor. */
const LOGIN_TTL_MS = 10 * 60_000;
/** A handoff code is redeemed by the web app right after the redirect. */
const HANDOFF_TTL_MS = 60_000;

/**
 * Staff sign-in through the council's OpenID provider: authorization code flow with PKCE (S256)
 * and a nonce, the client authenticated with its secret (HTTP Basic). The role comes from the
 * configured claim (ID token, else userinfo) through `OIDC_STAFF_ROLES`; no mapped role is a
 * refusal (`AUTH.NO_ROLE`), never a resident session. Each sign-in is recorded for auditors.
 */
@Injectable()
export class StaffOidcService {
  private configuration?: Promise<Configuration>;
  private readonly seal: LoginStateSeal;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AUTH_CLOCK) private readonly clock: AuthClock,
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    @Inject(JWT_SECRET) secret: string,
    private readonly sessions: SessionService,
    private readonly accessLog: StaffAccessLog,
  ) {
    this.seal = new LoginStateSeal(secret, 'staff-oidc');
  }

  get enabled(): boolean {
    return Boolean(this.config.OIDC_STAFF_ISSUER);
  }

  /** Where to send the browser, and the sealed state for its cookie. */
  async begin(): Promise<{ url: string; sealedState: string }> {
    const oidc = await loadOpenidClient();
    const configuration = await this.discovered();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.config.OIDC_STAFF_REDIRECT_URI!,
      scope: this.config.OIDC_STAFF_SCOPES,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, sealedState: this.seal.seal({ state, nonce, codeVerifier, expiresAt: this.clock.now() + LOGIN_TTL_MS }) };
  }

  /** Finishes a sign-in from the callback's query string and the login cookie. */
  async complete(query: string, sealedState: string | undefined): Promise<StartedSession> {
    const login = this.seal.open(sealedState, this.clock.now());
    if (!login) throw new SignInRefused('AUTH.SIGN_IN_EXPIRED', 'This sign-in was not started here or took too long: start again.', 400);
    const oidc = await loadOpenidClient();
    const configuration = await this.discovered();
    const callbackUrl = new URL(this.config.OIDC_STAFF_REDIRECT_URI!);
    callbackUrl.search = query;
    let claims: Record<string, unknown>;
    let accessToken: string;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: login.codeVerifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      claims = { ...tokens.claims()! };
      accessToken = tokens.access_token;
    } catch (err) {
      const detail = (err as { error?: string }).error;
      throw new SignInRefused('AUTH.SIGN_IN_FAILED', `The identity provider did not sign you in${detail ? ` (${detail})` : ''}.`, 403);
    }
    const roleClaim = this.config.OIDC_STAFF_ROLE_CLAIM;
    if (claims[roleClaim] === undefined) {
      const info = await oidc.fetchUserInfo(configuration, accessToken, String(claims.sub)).catch(() => undefined);
      if (info) claims = { ...info, ...claims };
    }
    const role = staffRoleFrom(claims, roleClaim, this.config.OIDC_STAFF_ROLES);
    if (!role) {
      throw new SignInRefused(
        'AUTH.NO_ROLE',
        'You are signed in with the council, but no role on this platform is given to you: ask an administrator.',
        403,
      );
    }
    const subject = String(claims.sub);
    const started = await this.sessions.start({
      subject,
      role,
      method: 'oidc-staff',
      providerSubject: `${String(claims.iss)}|${subject}`,
    });
    await this.accessLog.signedIn({
      subject,
      role,
      method: 'oidc-staff',
      sessionId: started.session.id,
      providerSubject: started.session.providerSubject,
    });
    return started;
  }

  /** A one-time code for the web app to redeem the new session's token with (`redeemSignIn`). */
  async handoff(started: StartedSession): Promise<string> {
    const code = randomBytes(24).toString('base64url');
    await this.store.saveHandoff(hashOf(code), started.token, this.clock.now() + HANDOFF_TTL_MS);
    return code;
  }

  redeem(code: string): Promise<string | undefined> {
    return this.store.takeHandoff(hashOf(code), this.clock.now());
  }

  private discovered(): Promise<Configuration> {
    this.configuration ??= loadOpenidClient().then((oidc) =>
      oidc.discovery(
        new URL(this.config.OIDC_STAFF_ISSUER!),
        this.config.OIDC_STAFF_CLIENT_ID!,
        undefined,
        oidc.ClientSecretBasic(this.config.OIDC_STAFF_CLIENT_SECRET!),
      ),
    );
    this.configuration.catch(() => (this.configuration = undefined));
    return this.configuration.catch(() => {
      throw new SignInRefused('AUTH.UNAVAILABLE', "The council's identity provider cannot be reached: try again in a moment.", 503);
    });
  }
}

const hashOf = (code: string) => createHash('sha256').update(code).digest('base64url');
