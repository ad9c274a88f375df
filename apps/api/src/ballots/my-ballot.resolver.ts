import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Public } from '../auth/roles.decorator';
import { ProposalReader } from '../proposals/proposal.reader';
import { Proposal } from '../proposals/proposal.types';
import { MyBallot } from './ballot.types';

/**
 * The proposals a resident's own ballot names, read with it: a confirmation page shows each
 * choice by title and number in the same operation, without listing the whole pot. Public at
 * field level, as a proposal is: a ballot reaches only its own voter.
 */
@Resolver(() => MyBallot)
export class MyBallotResolver {
  constructor(private readonly reader: ProposalReader) {}

  @Public()
  @ResolveField(() => [Proposal], {
    description: 'The proposals this ballot names, in its order: its choices, or those it gives points to. At most 50.',
  })
  proposals(@Parent() ballot: MyBallot): Proposal[] {
    const ids = ballot.proposalIds ?? ballot.points?.map((p) => p.proposalId) ?? [];
    return ids.map((id) => this.reader.get(id)).filter((p): p is Proposal => p !== undefined);
  }
}
