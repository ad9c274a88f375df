import { Inject } from '@nestjs/common';
import { Args, Context, Field, Mutation, ObjectType, Query, registerEnumType, Resolver } from '@nestjs/graphql';
import { SIGN_IN_METHODS, type SignInMethod } from '@civic/auth';
import type { AppConfig } from '@civic/config';
import { ApiError } from '../errors/api-error';
import { APP_CONFIG } from '../tokens';
import type { RequestContext } from './access.guard';
import { ROLES, type Role } from './principal';
import { Public, Roles } from './roles.decorator';
import { StaffAccessLog } from './oidc/staff-access-log';
import { SessionService } from './session.service';

export enum RoleName {
  resident = 'resident',
  reviewer = 'reviewer',
  councillor = 'councillor',
  administrator = 'administrator',
  auditor = 'auditor',
}
registerEnumType(RoleName, { name: 'Role', description: 'What a signed-in caller may do.' });

/** The GraphQL names of the sign-in methods (`email-code` → `email_code`). */
type SignInMethodName = string;
const methodName = (method: SignInMethod): SignInMethodName => method.replaceAll('-', '_');
const SignInMethodName = Object.fromEntries(SIGN_IN_METHODS.map((m) => [methodName(m), methodName(m)]));
registerEnumType(SignInMethodName, {
  name: 'SignInMethod',
  description: "How a caller signed in (provider_token: a bearer access token of the council's identity provider).",
});

@ObjectType({ description: 'A bearer token for the Authorization header.' })
export class SignIn {
  @Field() token!: string;
  @Field() subject!: string;
  @Field(() => RoleName) role!: RoleName;
  @Field({ description: 'When the session ends at the latest (it also ends after a while without a request, and at sign-out).' })
  expiresAt!: Date;
}

@ObjectType({ description: 'The signed-in caller.' })
export class Me {
  @Field() subject!: string;
  @Field(() => RoleName) role!: RoleName;
  @Field(() => SignInMethodName) signedInWith!: SignInMethodName;
}

@Resolver()
export class AuthResolver {
  constructor(
    private readonly sessions: SessionService,
    private readonly accessLog: StaffAccessLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Mutation(() => SignIn, {
    nullable: true,
    description: 'Development and demo only (off when NODE_ENV=production): a token for any role and subject.',
  })
  async devSignIn(
    @Args('role', { type: () => RoleName }) role: RoleName,
    @Args('subject', { description: 'Who to sign in as, e.g. a resident reference of the demo register.' }) subject: string,
  ): Promise<SignIn> {
    if (this.config.NODE_ENV === 'production') throw new ApiError('AUTH.FORBIDDEN', 'Development sign-in is off in production.');
    const trimmed = subject.trim();
    if (trimmed.length === 0 || trimmed.length > 128) throw new ApiError('INPUT.INVALID', 'subject must be 1 to 128 characters.');
    const { token, session } = await this.sessions.start({ subject: trimmed, role: role as Role, method: 'dev' });
    return { token, subject: trimmed, role, expiresAt: new Date(session.absoluteExpiresAt) };
  }

  @Roles(...ROLES)
  @Mutation(() => Boolean, {
    nullable: true,
    description: "Ends the caller's session at once: its token (and any copy of it) is refused from the next request on.",
  })
  async signOut(@Context() context: RequestContext): Promise<boolean> {
    const principal = context.principal!;
    if (principal.providerToken) {
      await this.sessions.refuseToken(principal.providerToken.hash, principal.providerToken.expiresAt);
      return true;
    }
    if (!principal.sessionId || !(await this.sessions.end(principal.sessionId))) return false;
    if (principal.method === 'oidc-staff') await this.accessLog.signedOut(principal);
    return true;
  }

  @Public()
  @Mutation(() => SignIn, {
    nullable: true,
    description:
      'The session a browser sign-in (e.g. /auth/staff/callback) started, for the code it handed over in its redirect: once, within a minute.',
  })
  async redeemSignIn(@Args('code') code: string): Promise<SignIn> {
    if (code.length === 0 || code.length > 64) throw new ApiError('INPUT.INVALID', 'The code is the one the sign-in redirect carried.');
    const token = await this.sessions.redeem(code);
    const principal = token ? await this.sessions.authenticate(token) : undefined;
    if (!token || !principal) throw new ApiError('AUTH.SIGN_IN_EXPIRED', 'This sign-in code is not valid (any more): sign in again.');
    const session = await this.sessions.find(principal.sessionId!);
    return { token, subject: principal.subject, role: principal.role as RoleName, expiresAt: new Date(session!.absoluteExpiresAt) };
  }

  @Roles(...ROLES)
  @Query(() => Me, { description: 'Who the bearer token says you are.' })
  me(@Context() context: RequestContext): Me {
    const principal = context.principal!;
    return { subject: principal.subject, role: principal.role as RoleName, signedInWith: methodName(principal.method) };
  }
}
