import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@civic/config';
import { createSigner, createVerifier } from 'fast-jwt';
import { APP_CONFIG, JWT_SECRET } from '../tokens';
import { jwtSecrets } from './jwt-secrets';

/** The `iss` of the API's own tokens. */
export const TOKEN_ISSUER = 'civic-ledger';

/** What the API's own token says: a session and its caller. */
export interface TokenClaims {
  readonly sub: string;
  readonly role: string;
  readonly sid: string;
}

/**
 * Signs and verifies the API's bearer tokens (HS256, key from JWT_SECRET), with fast-jwt:
 * verification is on every request's path. Verified tokens are remembered (fast-jwt's cache,
 * bounded, each entry until its token expires), so a client's later requests skip the HMAC and
 * the JSON parsing. The cache only proves the signature: every token names a server-side
 * session (`sid`), which SessionService reads on every request, so a revoked one stops at once.
 * While JWT_SECRET_PREVIOUS is set (a rotation), a token signed with it is still accepted; every
 * new token is signed with JWT_SECRET.
 */
@Injectable()
export class TokenService {
  private readonly signer: (payload: TokenClaims & { exp: number }) => string;
  /** The current secret's first, then the previous one's. */
  private readonly verifiers: ((token: string) => { sub?: unknown; role?: unknown; sid?: unknown })[];

  constructor(@Inject(JWT_SECRET) secret: string, @Inject(APP_CONFIG) config: Pick<AppConfig, 'JWT_SECRET_PREVIOUS'>) {
    const secrets = jwtSecrets(secret, config);
    this.signer = createSigner({ key: secrets[0], algorithm: 'HS256', iss: TOKEN_ISSUER });
    this.verifiers = secrets.map((key) =>
      createVerifier({ key, algorithms: ['HS256'], allowedIss: TOKEN_ISSUER, requiredClaims: ['sub', 'exp', 'sid'], cache: 10_000 }),
    );
  }

  /** A token for a session, valid until `expiresAt` (epoch ms, the session's absolute expiry). */
  sign(claims: TokenClaims, expiresAt: number): string {
    return this.signer({ sub: claims.sub, role: claims.role, sid: claims.sid, exp: Math.ceil(expiresAt / 1000) });
  }

  /** The claims of a token this API signed, or undefined for a forged, expired or malformed one. */
  verify(token: string): TokenClaims | undefined {
    for (const verifier of this.verifiers) {
      const claims = claimsOf(verifier, token);
      if (claims) return claims;
    }
    return undefined;
  }
}

function claimsOf(verifier: (token: string) => { sub?: unknown; role?: unknown; sid?: unknown }, token: string): TokenClaims | undefined {
  try {
    const payload = verifier(token);
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) return undefined;
    if (typeof payload.role !== 'string' || typeof payload.sid !== 'string') return undefined;
    return { sub: payload.sub, role: payload.role, sid: payload.sid };
  } catch {
    return undefined;
  }
}
