import { loadOpenidClient, LoginStateSeal } from '@civic/auth';
import type { AppConfig } from '@civic/config';
import type { AuthClock } from '../auth-clock';
import { jwtSecrets, type JwtSecrets } from '../jwt-secrets';

type Configuration = Awaited<ReturnType<Awaited<ReturnType<typeof loadOpenidClient>>['discovery']>>;

/** A sign-in the callback refused, with a stable code and a plain message. */
export class SignInRefused extends Error {
  constructor(
    readonly code: 'AUTH.NO_ROLE' | 'AUTH.NOT_REGISTERED' | 'AUTH.SIGN_IN_FAILED' | 'AUTH.SIGN_IN_EXPIRED' | 'AUTH.UNAVAILABLE',
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'SignInRefused';
  }
}

/** One OpenID provider and this API's client there. */
export interface OidcClientSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly scopes: string;
  /** Which claim the caller needs; fetched from userinfo when the ID token lacks it. */
  readonly neededClaim: string;
}

/** The login state lives ten minutes: long enough to type a password and a second factor. */
const LOGIN_TTL_MS = 10 * 60_000;

/**
 * The authorization code flow with PKCE (S256) and a nonce against one provider, with
 * openid-client 6 (loaded lazily: see load-openid-client.ts), the client authenticated with its
 * secret (HTTP Basic). The login state travels sealed in a cookie; the callback checks state,
 * nonce and the ID token, and gives the ID token's claims (with userinfo's when the needed claim
 * is not in the ID token).
 */
export class OidcCodeFlow {
  private configuration?: Promise<Configuration>;
  private readonly seal: LoginStateSeal;

  constructor(
    private readonly settings: OidcClientSettings,
    secrets: JwtSecrets,
    purpose: string,
    private readonly clock: AuthClock,
  ) {
    this.seal = new LoginStateSeal(secrets, purpose);
  }

  /** The flow of `OIDC_STAFF_*` or `OIDC_RESIDENT_*`, when its issuer is configured (the boot check required the rest). */
  static configured(config: AppConfig, who: 'staff' | 'resident', secret: string, clock: AuthClock): OidcCodeFlow | undefined {
    const settings =
      who === 'staff'
        ? config.OIDC_STAFF_ISSUER && {
            issuer: config.OIDC_STAFF_ISSUER,
            clientId: config.OIDC_STAFF_CLIENT_ID!,
            clientSecret: config.OIDC_STAFF_CLIENT_SECRET!,
            redirectUri: config.OIDC_STAFF_REDIRECT_URI!,
            scopes: config.OIDC_STAFF_SCOPES,
            neededClaim: config.OIDC_STAFF_ROLE_CLAIM,
          }
        : config.OIDC_RESIDENT_ISSUER && {
            issuer: config.OIDC_RESIDENT_ISSUER,
            clientId: config.OIDC_RESIDENT_CLIENT_ID!,
            clientSecret: config.OIDC_RESIDENT_CLIENT_SECRET!,
            redirectUri: config.OIDC_RESIDENT_REDIRECT_URI!,
            scopes: config.OIDC_RESIDENT_SCOPES,
            neededClaim: config.OIDC_RESIDENT_REFERENCE_CLAIM!,
          };
    return settings ? new OidcCodeFlow(settings, jwtSecrets(secret, config), `${who}-oidc`, clock) : undefined;
  }

  /** Where to send the browser, and the sealed state for its cookie. */
  async begin(back?: string): Promise<{ url: string; sealedState: string }> {
    const oidc = await loadOpenidClient();
    const configuration = await this.discovered();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, sealedState: this.seal.seal({ state, nonce, codeVerifier, expiresAt: this.clock.now() + LOGIN_TTL_MS, back }) };
  }

  /** The signed-in person's claims (and the path to return to), from the callback's query string and the login cookie. */
  async complete(query: string, sealedState: string | undefined): Promise<{ claims: Record<string, unknown>; back?: string }> {
    const login = this.seal.open(sealedState, this.clock.now());
    if (!login) throw new SignInRefused('AUTH.SIGN_IN_EXPIRED', 'This sign-in was not started here or took too long: start again.', 400);
    const oidc = await loadOpenidClient();
    const configuration = await this.discovered();
    const callbackUrl = new URL(this.settings.redirectUri);
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
    if (claims[this.settings.neededClaim] === undefined) {
      const info = await oidc.fetchUserInfo(configuration, accessToken, String(claims.sub)).catch(() => undefined);
      if (info) claims = { ...info, ...claims };
    }
    return { claims, back: login.back };
  }

  private discovered(): Promise<Configuration> {
    this.configuration ??= loadOpenidClient().then((oidc) =>
      oidc.discovery(new URL(this.settings.issuer), this.settings.clientId, undefined, oidc.ClientSecretBasic(this.settings.clientSecret)),
    );
    this.configuration.catch(() => (this.configuration = undefined));
    return this.configuration.catch(() => {
      throw new SignInRefused('AUTH.UNAVAILABLE', "The council's identity provider cannot be reached: try again in a moment.", 503);
    });
  }
}
