import { ArgsType, Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { PenceScalar } from '../graphql/pence.scalar';
import { ProposalOrder, ProposalStatus } from './proposal.types';
import { MAX_PAGE } from './proposal.reader';

@InputType()
export class LocationInput {
  @Field() description!: string;
  @Field(() => Float, { nullable: true }) latitude?: number;
  @Field(() => Float, { nullable: true }) longitude?: number;
}

@InputType()
export class SubmitProposalInput {
  @Field(() => ID, { nullable: true, description: 'Chosen by the server when absent.' }) proposalId?: string;
  @Field(() => ID) fundId!: string;
  @Field(() => ID) potId!: string;
  @Field() title!: string;
  @Field() summary!: string;
  @Field() description!: string;
  @Field() category!: string;
  @Field(() => PenceScalar) estimatedCost!: number;
  @Field(() => LocationInput, { nullable: true }) location?: LocationInput;
}

@InputType({ description: 'Only the fields to change.' })
export class EditProposalInput {
  @Field({ nullable: true }) title?: string;
  @Field({ nullable: true }) summary?: string;
  @Field({ nullable: true }) description?: string;
  @Field({ nullable: true }) category?: string;
  @Field(() => PenceScalar, { nullable: true }) estimatedCost?: number;
  @Field(() => LocationInput, { nullable: true }) location?: LocationInput;
}

@ArgsType()
export class ProposalsArgs {
  @Field(() => ID, { nullable: true }) fundId?: string;
  @Field(() => ID, { nullable: true }) potId?: string;
  @Field({ nullable: true }) ward?: string;
  @Field(() => ProposalStatus, { nullable: true }) status?: ProposalStatus;
  @Field({ nullable: true, description: 'Words to find in the title, summary or description.' }) search?: string;
  @Field({ nullable: true, description: 'Only proposals of this category.' }) category?: string;
  @Field(() => ProposalOrder, {
    defaultValue: ProposalOrder.submitted,
    description:
      'submitted: order of submission; number: by proposal number (unnumbered last); random: a shuffle fixed by seed, for ballots.',
  })
  order!: ProposalOrder;
  @Field({
    nullable: true,
    description: 'With order: random, the seed of the shuffle (1 to 200 characters): the same seed, the same order.',
  })
  seed?: string;
  @Field(() => Int, { defaultValue: 20, description: `At most ${MAX_PAGE}.` }) first!: number;
  @Field({ nullable: true }) after?: string;
  @Field({ nullable: true, description: 'A global position or an ISO time: the proposals as they stood then.' }) asOf?: string;
}
