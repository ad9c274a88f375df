import { Injectable } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import type { Principal } from './principal';
import { SessionService } from './session.service';

/**
 * The caller an `Authorization: Bearer …` header names: one of the API's own tokens with a live
 * session. No header is an anonymous caller; a bad one is refused (never treated as anonymous).
 */
@Injectable()
export class BearerAuthenticator {
  constructor(private readonly sessions: SessionService) {}

  async principalFrom(header: unknown): Promise<Principal | undefined> {
    if (header === undefined || header === null || header === '') return undefined;
    const match = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header) : null;
    const principal = match ? await this.sessions.authenticate(match[1]) : undefined;
    if (!principal) {
      throw new GraphQLError('The bearer token is not valid: sign in again.', {
        extensions: { code: 'AUTH.UNAUTHENTICATED', http: { status: 401 } },
      });
    }
    return principal;
  }
}
