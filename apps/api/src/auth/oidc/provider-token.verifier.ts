import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { staffRoleFrom } from '@civic/auth';
import type { AppConfig } from '@civic/config';
import { APP_CONFIG, AUTH_CLOCK } from '../../tokens';
import type { AuthClock } from '../auth-clock';
import type { Principal } from '../principal';
import { discoverIssuer } from './discover-issuer';

/** Why a provider's access token is refused; each is an `AUTH.*` code. */
export type ProviderTokenRefusal =
  'AUTH.TOKEN_EXPIRED' | 'AUTH.TOKEN_AUDIENCE' | 'AUTH.TOKEN_ISSUER' | 'AUTH.TOKEN_SIGNATURE' | 'AUTH.NO_ROLE' | 'AUTH.UNAUTHENTICATED';

export type ProviderTokenResult =
  { readonly principal: Principal; readonly expiresAt: number } | { readonly refusal: ProviderTokenRefusal; readonly message: string };

/** Asymmetric algorithms only: a provider's token is never verified with a shared secret. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * Accepts the staff identity provider's JWT access tokens as bearer tokens (for other council
 * systems), when `OIDC_STAFF_AUDIENCE` is set: signature against the provider's published keys
 * (its JWKS, from discovery; refetched when a token names a key it does not hold, at most once
 * per `OIDC_JWKS_COOLDOWN_SECONDS`, so a key the provider removed is refused from then on),
 * issuer, audience and expiry checked, the role mapped from the token's claims as at sign-in.
 */
@Injectable()
export class ProviderTokenVerifier {
  private jwks?: Promise<JWTVerifyGetKey>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AUTH_CLOCK) private readonly clock: AuthClock,
  ) {}

  get enabled(): boolean {
    return Boolean(this.config.OIDC_STAFF_ISSUER && this.config.OIDC_STAFF_AUDIENCE);
  }

  /** The hash under which a signed-out access token is refused. */
  static hashOf(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
  }

  async verify(token: string): Promise<ProviderTokenResult> {
    const issuer = this.config.OIDC_STAFF_ISSUER!;
    let payload;
    try {
      ({ payload } = await jwtVerify(token, await this.keys(), {
        issuer,
        audience: this.config.OIDC_STAFF_AUDIENCE,
        algorithms: ALGORITHMS,
        requiredClaims: ['sub', 'exp'],
        currentDate: new Date(this.clock.now()),
        clockTolerance: 5,
      }));
    } catch (err) {
      return refusalOf(err);
    }
    const role = staffRoleFrom(payload as Record<string, unknown>, this.config.OIDC_STAFF_ROLE_CLAIM, this.config.OIDC_STAFF_ROLES);
    if (!role) return { refusal: 'AUTH.NO_ROLE', message: 'The token gives no role on this platform: ask the council to map one.' };
    return {
      principal: { subject: payload.sub!, role, method: 'provider-token', providerSubject: `${issuer}|${payload.sub}` },
      expiresAt: payload.exp! * 1000,
    };
  }

  private keys(): Promise<JWTVerifyGetKey> {
    this.jwks ??= discoverIssuer(this.config.OIDC_STAFF_ISSUER!).then((metadata) =>
      createRemoteJWKSet(new URL(metadata.jwks_uri), {
        cooldownDuration: this.config.OIDC_JWKS_COOLDOWN_SECONDS * 1000,
        cacheMaxAge: this.config.OIDC_JWKS_CACHE_SECONDS * 1000,
      }),
    );
    // A provider that was down at the first request is asked again at the next.
    this.jwks.catch(() => (this.jwks = undefined));
    return this.jwks;
  }
}

function refusalOf(err: unknown): ProviderTokenResult {
  if (err instanceof errors.JWTExpired) return { refusal: 'AUTH.TOKEN_EXPIRED', message: 'The access token has expired.' };
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return { refusal: 'AUTH.TOKEN_AUDIENCE', message: 'The access token is not meant for this API.' };
    if (err.claim === 'iss') return { refusal: 'AUTH.TOKEN_ISSUER', message: 'The access token comes from another issuer.' };
  }
  if (
    err instanceof errors.JWSSignatureVerificationFailed ||
    err instanceof errors.JWKSNoMatchingKey ||
    err instanceof errors.JWSInvalid ||
    err instanceof errors.JOSEAlgNotAllowed
  ) {
    return { refusal: 'AUTH.TOKEN_SIGNATURE', message: "The access token's signature does not match the provider's keys." };
  }
  return { refusal: 'AUTH.UNAUTHENTICATED', message: 'The bearer token is not valid: sign in again.' };
}
