import { Args, Field, ID, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { DateTimeScalar } from '../graphql/date-time.scalar';
import { Roles } from '../auth/roles.decorator';
import { FundReader } from '../funds/fund.reader';
import { ReceiptFinder } from './receipt-finder';
import { standingShown } from './receipt-standing';
import { finalStanding } from './final-standing';
import type { EventStore } from '@civic/event-store';
import { Inject } from '@nestjs/common';
import { EVENT_STORE } from '../tokens';

@ObjectType({
  description: 'The ballot a receipt is of, for the staff who void ballots: where it was cast, never who cast it nor what it marks.',
})
export class BallotLookup {
  @Field(() => ID) fundId!: string;
  @Field(() => ID) potId!: string;
  @Field({ description: 'The receipt’s event: BallotCast, BallotReplaced, BallotWithdrawn or BallotVoided.' }) eventType!: string;
  @Field(() => DateTimeScalar, { description: 'When the event was recorded.' }) recordedAt!: Date;
  @Field({ description: 'Where the ballot stands, as much as the fund’s phase lets a receipt tell (see ReceiptStanding.status).' })
  standing!: string;
  @Field(() => String, { nullable: true, description: 'The public reason, when the standing is voided.' }) reason?: string;
}

/** Ballots found by their receipt, so that an officer voids one without ever handling a voter's pseudonym. */
@Resolver()
export class BallotLookupResolver {
  constructor(
    private readonly finder: ReceiptFinder,
    private readonly funds: FundReader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Roles('reviewer', 'councillor')
  @Query(() => BallotLookup, {
    nullable: true,
    description:
      'The ballot a receipt (hash or short code) is of: its fund, pot and standing; null when no ballot has it. For staff who void ballots.',
  })
  async ballotByReceipt(
    @Args('receipt', { description: 'The receipt’s hash (64 hex) or its short code.' }) receipt: string,
  ): Promise<BallotLookup | null> {
    const found = await this.finder.ballot(receipt);
    const fund = found && this.funds.get(found.fundId);
    if (!found || !fund) return null;
    // The same embargo as a receipt anyone checks: while voting is open, "recorded" and no more.
    const shown = await standingShown(fund.phase, async () =>
      finalStanding(await this.store.readStream(found.event.streamName), found.event.revision),
    );
    return {
      fundId: found.fundId,
      potId: found.potId,
      eventType: found.event.type,
      recordedAt: new Date(found.event.recordedAt),
      standing: shown.status,
      reason: shown.reason,
    };
  }
}
