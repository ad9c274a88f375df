import type { GraphQLResolveInfo } from 'graphql';
import { Args, Context, ID, Resolver, Subscription } from '@nestjs/graphql';
import type { RequestContext } from '../auth/access.guard';
import { requireSight } from '../auth/embargo';
import { Public } from '../auth/roles.decorator';
import { Tally } from '../ballots/ballot.types';
import { TallyReader } from '../ballots/tally.reader';
import { ApiError } from '../errors/api-error';
import { mightSelect } from '../graphql/selects-field';
import { FundReader } from '../funds/fund.reader';
import { Fund } from '../funds/fund.types';
import { fundTopic, LiveUpdates, type TallyMessage } from './live-updates';
import { TallyFanOut } from './tally-fan-out';

/** Subscriptions over graphql-ws (`/graphql`, protocol graphql-transport-ws; send the token as connectionParams.authorization). */
@Resolver()
export class LiveResolver {
  private readonly fanOut: TallyFanOut;

  constructor(
    private readonly live: LiveUpdates,
    tallies: TallyReader,
    private readonly funds: FundReader,
  ) {
    this.fanOut = new TallyFanOut(tallies, funds);
  }

  @Public()
  @Subscription(() => Tally, {
    description:
      'A pot’s tally each time ballots move it: aggregates only, for whoever the embargo shows tallies to (staff live; everyone once results are published).',
    // Checked again on each message, so a subscription never outlives what the embargo allows.
    // The lines are read only for a subscriber who asks for them (a staff dashboard of counts does not).
    resolve: function (this: LiveResolver, payload: TallyMessage, _args: unknown, ctx: RequestContext, info: GraphQLResolveInfo) {
      return this.fanOut.payload(payload, ctx, { lines: mightSelect(info, 'lines') });
    },
  })
  tallyUpdated(@Args('potId', { type: () => ID }) potId: string, @Context() ctx: RequestContext) {
    this.fanOut.require(potId, ctx);
    return this.live.tallyMessages(potId);
  }

  @Public()
  @Subscription(() => Fund, {
    description: 'A fund each time it changes: its phase, schedule or pots.',
    resolve: function (this: LiveResolver, payload: { fundId: string }, _args: unknown, ctx: RequestContext) {
      const fund = this.funds.get(payload.fundId);
      if (fund) requireSight(ctx, 'fund', fund.phase, 'This fund is not shown to you.');
      return fund;
    },
  })
  fundChanged(@Args('fundId', { type: () => ID }) fundId: string, @Context() ctx: RequestContext) {
    const fund = this.funds.get(fundId);
    if (!fund) throw new ApiError('NOT_FOUND', 'There is no such fund.');
    requireSight(ctx, 'fund', fund.phase, 'This fund is not shown to you.');
    return this.live.pubsub.asyncIterableIterator(fundTopic(fundId));
  }
}
