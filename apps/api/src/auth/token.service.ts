import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '@civic/config';
import { APP_CONFIG } from '../tokens';
import { isRole, type Principal, type Role } from './principal';

const ISSUER = 'civic-ledger';

/**
 * Signs and verifies the API's bearer tokens (HS256, key from JWT_SECRET). A deployment with
 * its own identity provider replaces `verify` with its IdP's verification: see the README.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  sign(subject: string, role: Role, expiresInSeconds = 8 * 3600): string {
    return this.jwt.sign({ role }, { subject, issuer: ISSUER, expiresIn: expiresInSeconds, algorithm: 'HS256' });
  }

  /** The caller of a verified token, or undefined for a missing, forged, expired or malformed one. */
  verify(token: string): Principal | undefined {
    try {
      const payload = this.jwt.verify<{ sub?: unknown; role?: unknown }>(token, { issuer: ISSUER, algorithms: ['HS256'] });
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
