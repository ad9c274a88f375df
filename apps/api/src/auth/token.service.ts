import { Inject, Injectable } from '@nestjs/common';
import { createSigner, createVerifier } from 'fast-jwt';
import type { AppConfig } from '@civic/config';
import { APP_CONFIG, JWT_SECRET } from '../tokens';
import { isRole, type Principal, type Role } from './principal';

const ISSUER = 'civic-ledger';

/**
 * Signs and verifies the API's bearer tokens (HS256, key from JWT_SECRET), with fast-jwt:
 * verification is on every request's path. Verified tokens are remembered (fast-jwt's cache,
 * bounded, each entry until its token expires), so a client's later requests skip the HMAC and
 * the JSON parsing. A deployment with its own identity provider replaces `verify` with its
 * IdP's verification: see the README.
 */
@Injectable()
export class TokenService {
  private readonly signers = new Map<number, (payload: { sub: string; role: Role }) => string>();
  private readonly verifier: (token: string) => { sub?: unknown; role?: unknown };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JWT_SECRET) private readonly secret: string,
  ) {
    this.verifier = createVerifier({
      key: secret,
      algorithms: ['HS256'],
      allowedIss: ISSUER,
      requiredClaims: ['sub', 'exp'],
      cache: 10_000,
    });
  }

  sign(subject: string, role: Role, expiresInSeconds = 8 * 3600): string {
    let sign = this.signers.get(expiresInSeconds);
    if (!sign) {
      sign = createSigner({ key: this.secret, algorithm: 'HS256', iss: ISSUER, expiresIn: expiresInSeconds * 1000 });
      this.signers.set(expiresInSeconds, sign);
    }
    return sign({ sub: subject, role });
  }

  /** The caller of a verified token, or undefined for a missing, forged, expired or malformed one. */
  verify(token: string): Principal | undefined {
    try {
      const payload = this.verifier(token);
      if (typeof payload.sub !== 'string' || payload.sub.length === 0 || !isRole(payload.role)) return undefined;
      return { subject: payload.sub, role: payload.role };
    } catch {
      return undefined;
    }
  }

  get devSignInEnabled(): boolean {
    return this.config.NODE_ENV !== 'production';
  }
}
