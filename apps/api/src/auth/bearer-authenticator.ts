import { Injectable } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { ProviderTokenVerifier } from './oidc/provider-token.verifier';
import type { Principal } from './principal';
import { SessionService } from './session.service';
import { TOKEN_ISSUER } from './token.service';

/**
 * The caller an `Authorization: Bearer …` header names: one of the API's own tokens with a live
 * session, or (when configured) an access token of the staff identity provider. No header is an
 * anonymous caller; a bad one is refused with an `AUTH.*` code (never treated as anonymous).
 */
@Injectable()
export class BearerAuthenticator {
  constructor(
    private readonly sessions: SessionService,
    private readonly providerTokens: ProviderTokenVerifier,
  ) {}

  async principalFrom(header: unknown): Promise<Principal | undefined> {
    if (header === undefined || header === null || header === '') return undefined;
    const match = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header) : null;
    if (!match) throw refused('AUTH.UNAUTHENTICATED', 'The bearer token is not valid: sign in again.');
    const token = match[1];
    if (this.providerTokens.enabled && issuerOf(token) !== TOKEN_ISSUER) return this.fromProvider(token);
    const principal = await this.sessions.authenticate(token);
    if (!principal) throw refused('AUTH.UNAUTHENTICATED', 'The bearer token is not valid: sign in again.');
    return principal;
  }

  private async fromProvider(token: string): Promise<Principal> {
    const result = await this.providerTokens.verify(token);
    if ('refusal' in result) throw refused(result.refusal, result.message);
    const hash = ProviderTokenVerifier.hashOf(token);
    if (await this.sessions.isTokenRefused(hash)) throw refused('AUTH.UNAUTHENTICATED', 'This access token was signed out.');
    return { ...result.principal, providerToken: { hash, expiresAt: result.expiresAt } };
  }
}

const refused = (code: string, message: string) => new GraphQLError(message, { extensions: { code, http: { status: 401 } } });

/** The unverified `iss` of a JWT, only to choose which verification applies. */
function issuerOf(token: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload.iss === 'string' ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}
