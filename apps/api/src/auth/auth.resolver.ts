import { Args, Context, Field, Mutation, ObjectType, Query, registerEnumType, Resolver } from '@nestjs/graphql';
import { ApiError } from '../errors/api-error';
import type { RequestContext } from './access.guard';
import { ROLES, type Role } from './principal';
import { Public, Roles } from './roles.decorator';
import { TokenService } from './token.service';

export enum RoleName {
  resident = 'resident',
  reviewer = 'reviewer',
  councillor = 'councillor',
  administrator = 'administrator',
  auditor = 'auditor',
}
registerEnumType(RoleName, { name: 'Role', description: 'What a signed-in caller may do.' });

@ObjectType({ description: 'A bearer token for the Authorization header.' })
export class SignIn {
  @Field() token!: string;
  @Field() subject!: string;
  @Field(() => RoleName) role!: RoleName;
}

@ObjectType({ description: 'The signed-in caller.' })
export class Me {
  @Field() subject!: string;
  @Field(() => RoleName) role!: RoleName;
}

@Resolver()
export class AuthResolver {
  constructor(private readonly tokens: TokenService) {}

  @Public()
  @Mutation(() => SignIn, {
    nullable: true,
    description: 'Development and demo only (off when NODE_ENV=production): a token for any role and subject.',
  })
  devSignIn(
    @Args('role', { type: () => RoleName }) role: RoleName,
    @Args('subject', { description: 'Who to sign in as, e.g. a resident reference of the demo register.' }) subject: string,
  ): SignIn {
    if (!this.tokens.devSignInEnabled) throw new ApiError('AUTH.FORBIDDEN', 'Development sign-in is off in production.');
    const trimmed = subject.trim();
    if (trimmed.length === 0 || trimmed.length > 128) throw new ApiError('INPUT.INVALID', 'subject must be 1 to 128 characters.');
    return { token: this.tokens.sign(trimmed, role as Role), subject: trimmed, role };
  }

  @Roles(...ROLES)
  @Query(() => Me, { description: 'Who the bearer token says you are.' })
  me(@Context() context: RequestContext): Me {
    return { subject: context.principal!.subject, role: context.principal!.role as RoleName };
  }
}
