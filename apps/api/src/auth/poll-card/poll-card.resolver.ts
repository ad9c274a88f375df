import { Args, Context, Field, ID, Int, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import type { RequestContext } from '../access.guard';
import { RoleName, SignIn } from '../auth.resolver';
import { Public, Roles } from '../roles.decorator';
import { PollCardService } from './poll-card.service';

@ObjectType({ description: "Printed voting codes, with the residents' names and addresses, for the mailing house. Shown once." })
export class PollCardExport {
  @Field({ description: 'CSV: reference, name, address, fund, code.' }) csv!: string;
  @Field(() => Int) residents!: number;
}

@Resolver()
export class PollCardResolver {
  constructor(private readonly pollCards: PollCardService) {}

  @Roles('administrator')
  @Mutation(() => PollCardExport, {
    nullable: true,
    description:
      'Generates a printed voting code for every verified resident for the fund (replacing earlier ones) and returns them once as a CSV with names and addresses. Needs the personal-data permission (PERSONAL_DATA_EXPORTERS); recorded as PersonalDataOpened (who, when, how many).',
  })
  generatePollCards(@Args('fundId', { type: () => ID }) fundId: string, @Context() context: RequestContext): Promise<PollCardExport> {
    return this.pollCards.generate(fundId, context.principal!);
  }

  @Roles('administrator')
  @Mutation(() => Boolean, {
    nullable: true,
    description: "Revokes a resident's printed voting code for a fund (a lost or misused letter).",
  })
  revokePollCard(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('reference') reference: string,
    @Context() context: RequestContext,
  ): Promise<boolean> {
    return this.pollCards.revoke(fundId, reference, context.principal!);
  }

  @Public()
  @Mutation(() => SignIn, {
    nullable: true,
    description: 'Residents: signs in with the register reference and the printed voting code of the letter.',
  })
  async signInWithPollCard(@Args('reference') reference: string, @Args('code') code: string): Promise<SignIn> {
    const { token, session } = await this.pollCards.signIn(reference, code);
    return { token, subject: session.subject, role: RoleName.resident, expiresAt: new Date(session.absoluteExpiresAt) };
  }
}
