import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import { Public, Roles } from '../auth/roles.decorator';
import { Tally } from '../ballots/ballot.types';
import { TallyReader } from '../ballots/tally.reader';
import { ApiError } from '../errors/api-error';
import { FundReader } from '../funds/fund.reader';
import { Fund } from '../funds/fund.types';
import { fundTopic, LiveUpdates, tallyTopic } from './live-updates';

/** Subscriptions over graphql-ws (`/graphql`, protocol graphql-transport-ws; send the token as connectionParams.authorization). */
@Resolver()
export class LiveResolver {
  constructor(
    private readonly live: LiveUpdates,
    private readonly tallies: TallyReader,
    private readonly funds: FundReader,
  ) {}

  @Roles('reviewer', 'councillor', 'administrator', 'auditor')
  @Subscription(() => Tally, {
    description: 'A pot’s tally each time ballots move it (staff; aggregates only).',
    resolve: function (this: LiveResolver, payload: { potId: string }) {
      return this.tallies.tally(payload.potId);
    },
  })
  tallyUpdated(@Args('potId', { type: () => ID }) potId: string) {
    if (!this.funds.byPot(potId)) throw new ApiError('NOT_FOUND', 'There is no such pot.');
    return this.live.pubsub.asyncIterableIterator(tallyTopic(potId));
  }

  @Public()
  @Subscription(() => Fund, {
    description: 'A fund each time it changes: its phase, schedule or pots.',
    resolve: function (this: LiveResolver, payload: { fundId: string }) {
      return this.funds.get(payload.fundId);
    },
  })
  fundChanged(@Args('fundId', { type: () => ID }) fundId: string) {
    if (!this.funds.get(fundId)) throw new ApiError('NOT_FOUND', 'There is no such fund.');
    return this.live.pubsub.asyncIterableIterator(fundTopic(fundId));
  }
}
