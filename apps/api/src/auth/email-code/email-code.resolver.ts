import { Args, Context, Field, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import type { RequestContext } from '../access.guard';
import { RoleName, SignIn } from '../auth.resolver';
import { Public } from '../roles.decorator';
import { EmailCodeService } from './email-code.service';

@ObjectType({ description: 'A sign-in code was asked for: send the code from the e-mail with this challenge.' })
export class SignInChallenge {
  @Field({ description: 'Opaque; pass it to signInWithCode with the code.' }) challenge!: string;
  @Field({ description: 'When the code stops working.' }) expiresAt!: Date;
}

@Resolver()
export class EmailCodeResolver {
  constructor(private readonly codes: EmailCodeService) {}

  @Public()
  @Mutation(() => SignInChallenge, {
    nullable: true,
    description:
      'Residents: e-mails a six-digit sign-in code to the address on the register. The same answer whether or not the address (or reference) is on the register; the code, if any, arrives within a minute.',
  })
  requestSignInCode(
    @Args('identifier', { description: 'The e-mail address on the register, or the register reference.' }) identifier: string,
    @Context() context: RequestContext,
  ): Promise<SignInChallenge> {
    return this.codes.request(identifier, context.clientKey);
  }

  @Public()
  @Mutation(() => SignIn, {
    nullable: true,
    description: 'Residents: signs in with the code e-mailed for a challenge (once, within 10 minutes, 5 tries).',
  })
  async signInWithCode(@Args('challenge') challenge: string, @Args('code') code: string): Promise<SignIn> {
    const { token, session } = await this.codes.signIn(challenge, code.trim());
    return { token, subject: session.subject, role: RoleName.resident, expiresAt: new Date(session.absoluteExpiresAt) };
  }
}
