import { Args, Context, Field, ID, ObjectType, Query, Resolver, registerEnumType } from '@nestjs/graphql';
import { QueryBus } from '@nestjs/cqrs';
import { GetMyEligibilityQuery, type PotEligibility as AppPotEligibility } from '@civic/application';
import type { RequestContext } from '../auth/access.guard';
import { Roles } from '../auth/roles.decorator';
import { ApiError } from '../errors/api-error';
import { FundReader } from '../funds/fund.reader';

export enum Eligibility {
  eligible = 'eligible',
  not_registered = 'not_registered',
  not_verified = 'not_verified',
  too_young = 'too_young',
  other_ward = 'other_ward',
  erased = 'erased',
}
registerEnumType(Eligibility, {
  name: 'Eligibility',
  description:
    'Whether you may vote in a pot, and if not, why: not on the register, not yet verified, under the fund’s minimum age, or living in another ward.',
});

@ObjectType({ description: 'Whether the signed-in resident may vote in one pot now.' })
export class PotEligibility {
  @Field(() => ID) potId!: string;
  @Field(() => Eligibility) eligibility!: Eligibility;
  @Field({ description: 'True when eligibility is eligible.' }) eligible!: boolean;
}

/** A resident's own eligibility: the same tests a ballot meets, for their own pages only. */
@Resolver()
export class EligibilityResolver {
  constructor(
    private readonly queries: QueryBus,
    private readonly funds: FundReader,
  ) {}

  @Roles('resident')
  @Query(() => [PotEligibility], { description: 'In which pots of a fund you may vote now, and why not where you may not.' })
  async myEligibility(@Args('fundId', { type: () => ID }) fundId: string, @Context() ctx: RequestContext): Promise<PotEligibility[]> {
    if (!this.funds.get(fundId)) throw new ApiError('NOT_FOUND', 'There is no such fund.');
    const answers = await this.queries.execute<GetMyEligibilityQuery, AppPotEligibility[]>(
      new GetMyEligibilityQuery(fundId, ctx.principal!.subject),
    );
    return answers.map((a) => ({ potId: a.potId, eligibility: a.eligibility as Eligibility, eligible: a.eligibility === 'eligible' }));
  }
}
