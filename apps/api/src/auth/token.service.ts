import { Inject, Injectable } from '@nestjs/common';
import { createSigner, createVerifier } from 'fast-jwt';
import { JWT_SECRET } from '../tokens';

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
 */
@Injectable()
export class TokenService {
  private readonly signer: (payload: TokenClaims & { exp: number }) => string;
  private readonly verifier: (token: string) => { sub?: unknown; role?: unknown; sid?: unknown };

  constructor(@Inject(JWT_SECRET) secret: string) {
    this.signer = createSigner({ key: secret, algorithm: 'HS256', iss: TOKEN_ISSUER });
    this.verifier = createVerifier({
      key: secret,
      algorithms: ['HS256'],
      allowedIss: TOKEN_ISSUER,
      requiredClaims: ['sub', 'exp', 'sid'],
      cache: 10_000,
    });
  }

  /** A token for a session, valid until `expiresAt` (epoch ms, the session's absolute expiry). */
  sign(claims: TokenClaims, expiresAt: number): string {
    return this.signer({ sub: claims.sub, role: claims.role, sid: claims.sid, exp: Math.ceil(expiresAt / 1000) });
  }

  /** The claims of a token this API signed, or undefined for a forged, expired or malformed one. */
  verify(token: string): TokenClaims | undefined {
    try {
      const payload = this.verifier(token);
      if (typeof payload.sub !== 'string' || payload.sub.length === 0) return undefined;
      if (typeof payload.role !== 'string' || typeof payload.sid !== 'string') return undefined;
      return { sub: payload.sub, role: payload.role, sid: payload.sid };
    } catch {
      return undefined;
    }
  }
}
