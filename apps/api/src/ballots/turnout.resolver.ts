import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, Int, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { statement, type ReadModelDatabase } from '@civic/projections';
import type { RequestContext } from '../auth/access.guard';
import { Public } from '../auth/roles.decorator';
import { ApiError } from '../errors/api-error';
import { requireIds } from '../errors/input';
import { DateTimeScalar } from '../graphql/date-time.scalar';
import { FundReader } from '../funds/fund.reader';
import { READ_MODELS } from '../read-models/read-models.module';
import { Tally } from './ballot.types';
import { TallyReader } from './tally.reader';

const STAFF = ['reviewer', 'councillor', 'administrator', 'auditor'];
const RESULTS_OUT = ['results_published', 'delivery', 'closed'];

@ObjectType({ description: 'How many ballots count in a pot, by channel, beside how many residents may vote in it. Never who.' })
export class PotTurnout {
  @Field(() => ID) potId!: string;
  @Field({ nullable: true, description: 'The ward of a ward pot; null for the borough-wide pot.' }) ward?: string;
  @Field(() => Int, { description: 'Ballots that count now (the latest of each voter, not withdrawn or voided).' }) ballots!: number;
  @Field(() => Int) online!: number;
  @Field(() => Int) paper!: number;
  @Field(() => Int, { description: 'Cast with an officer’s help at a library or community centre.' }) assisted!: number;
  @Field(() => Int, { description: 'Verified residents of the ward (of the borough, for the borough-wide pot): who may vote, age aside.' })
  registered!: number;
}

@ObjectType({ description: 'A voided ballot as the public sees it: the pot, the reason and when; never whose.' })
export class VoidedBallotLogEntry {
  @Field() reason!: string;
  @Field(() => DateTimeScalar) voidedAt!: Date;
  @Field({ description: 'The global position of the void. Opaque.' }) position!: string;
}

@ObjectType()
export class VoidedBallots {
  @Field(() => ID) potId!: string;
  @Field(() => Int) count!: number;
  @Field(() => [VoidedBallotLogEntry]) ballots!: VoidedBallotLogEntry[];
}

/**
 * Aggregates of participation: turnout by pot (so by ward) and channel, the residents who may vote
 * beside a pot's tally, and the public log of voided ballots.
 */
@Resolver(() => Tally)
export class TurnoutResolver {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModelDatabase,
    private readonly funds: FundReader,
    private readonly tallies: TallyReader,
  ) {}

  @Public()
  @Query(() => [PotTurnout], {
    description: 'Turnout of every pot of a fund by channel: live for staff; for everyone once results are published.',
  })
  turnout(@Args('fundId', { type: () => ID }) fundId: string, @Context() ctx: RequestContext): PotTurnout[] {
    requireIds({ fundId });
    const fund = this.funds.get(fundId);
    if (!fund) throw new ApiError('NOT_FOUND', 'There is no such fund.');
    const staff = ctx.principal !== undefined && STAFF.includes(ctx.principal.role);
    if (!staff && !RESULTS_OUT.includes(fund.phase))
      throw new ApiError('AUTH.FORBIDDEN', 'Turnout is shown to the public once results are published.');
    return fund.pots.map((pot) => ({
      potId: pot.id,
      ward: pot.ward,
      ...this.tallies.channels(pot.id),
      registered: this.verified(pot.ward),
    }));
  }

  // Public at field level: a tally reaches only whoever the embargo shows it to, and turnout says the same count to them.
  @Public()
  @ResolveField(() => Int, {
    nullable: true,
    description:
      'Verified residents who may vote in the pot now (of its ward; of the borough for the borough-wide pot), age aside: as `turnout` counts them, and now even for a tally `asOf` a past position. Live in `tallyUpdated`: a change to the register announces every followed pot.',
  })
  registered(@Parent() tally: Tally): number | null {
    const fund = this.funds.byPot(tally.potId);
    const pot = fund?.pots.find((p) => p.id === tally.potId);
    return pot ? this.verified(pot.ward) : null;
  }

  private verified(ward: string | undefined): number {
    const db = this.readModels.db;
    const row = (
      ward === undefined
        ? statement(db, `SELECT count(*) AS n FROM register WHERE status = 'verified'`).get()
        : statement(db, `SELECT count(*) AS n FROM register WHERE status = 'verified' AND ward = ?`).get(ward)
    ) as { n: number };
    return row.n;
  }

  @Public()
  @Query(() => VoidedBallots, { description: 'The ballots voided in a pot, with their reasons: public and anonymous.' })
  voidedBallots(@Args('potId', { type: () => ID }) potId: string): VoidedBallots {
    requireIds({ potId });
    if (!this.funds.byPot(potId)) throw new ApiError('NOT_FOUND', 'There is no such pot.');
    const rows = statement(this.readModels.db, `SELECT reason, voided_at, position FROM voided_ballots WHERE pot_id = ? ORDER BY seq`).all(
      potId,
    ) as {
      reason: string;
      voided_at: string;
      position: string;
    }[];
    return {
      potId,
      count: rows.length,
      ballots: rows.map((r) => ({ reason: r.reason, voidedAt: new Date(r.voided_at), position: r.position })),
    };
  }
}
