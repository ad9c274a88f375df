import { Inject } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, ResolveField, Resolver, registerEnumType } from '@nestjs/graphql';
import { PlatformReader, RunFundCommand, type CommandResult } from '@civic/application';
import type { EventStore } from '@civic/event-store';
import type { ChooseBallotPublication } from '@civic/domain';
import type { RequestContext } from '../auth/access.guard';
import { Public, Roles } from '../auth/roles.decorator';
import { CommandGateway } from '../commands/command-gateway';
import { COMMAND_ID } from '../commands/command-id.arg';
import { ApiError } from '../errors/api-error';
import { requireIds } from '../errors/input';
import { FundReader } from '../funds/fund.reader';
import { Fund, FundPayload } from '../funds/fund.types';
import { EVENT_STORE } from '../tokens';

export enum BallotPublicationKind {
  linked = 'linked',
  unlinked = 'unlinked',
}
registerEnumType(BallotPublicationKind, {
  name: 'BallotPublication',
  description:
    'How the counted ballots are published once results are: linked (each ballot’s marks under its receipt hash: a receipt shows its content) or unlinked (the receipt hashes and the marks apart: a receipt proves it was counted, not what it said).',
});

/** A fund's choice of linked or unlinked publication of its counted ballots, fixed before voting opens. */
@Resolver()
export class BallotPublicationResolver {
  constructor(
    private readonly funds: FundReader,
    private readonly gateway: CommandGateway,
  ) {}

  @Roles('administrator')
  @Mutation(() => FundPayload, {
    nullable: true,
    description:
      'Chooses how the fund’s bulletin board, exports and certificates publish the counted ballots (linked by default); refused once voting has opened (FUND.RULES_FROZEN).',
  })
  async chooseBallotPublication(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('publication', { type: () => BallotPublicationKind }) publication: BallotPublicationKind,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<FundPayload> {
    requireIds({ fundId });
    const result = await this.gateway.execute<CommandResult>(
      new RunFundCommand<ChooseBallotPublication>(
        'ChooseBallotPublication',
        { fundId, publication },
        await this.gateway.input(ctx.principal!, commandId),
      ),
    );
    const fund = this.funds.get(fundId);
    if (!fund) throw new ApiError('NOT_FOUND', 'There is no such fund.');
    return { fund, position: result.position };
  }
}

/**
 * A fund's choice of publication, read from its own history (the choice the bulletin board and
 * certificates follow). Public at field level: it reaches whoever may read the fund, and the
 * bulletin board says it to everyone once results are published.
 */
@Resolver(() => Fund)
export class FundPublicationResolver {
  private readonly reader: PlatformReader;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.reader = new PlatformReader(store);
  }

  @Public()
  @ResolveField(() => BallotPublicationKind, {
    description:
      'How the fund will publish its counted ballots, as chosen now (linked unless an administrator chose unlinked before voting opened).',
  })
  async ballotPublication(@Parent() fund: Fund): Promise<BallotPublicationKind> {
    const state = await this.reader.fund(fund.id);
    return (state.publication ?? 'linked') as BallotPublicationKind;
  }
}
