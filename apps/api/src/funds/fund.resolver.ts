import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RunFundCommand, type CommandResult, type FundInput } from '@civic/application';
import type { BallotType, FundCommand, TieBreakOrder } from '@civic/domain';
import type { RequestContext } from '../auth/access.guard';
import { sight } from '../auth/embargo';
import { Public, Roles } from '../auth/roles.decorator';
import { CommandGateway } from '../commands/command-gateway';
import { ApiError } from '../errors/api-error';
import { EXPECTED_REVISION, isoTime, requireAmount, requireIds } from '../errors/input';
import { TimeTravel } from '../time-travel/time-travel';
import { FundReader } from './fund.reader';
import { AddPotInput, BallotTypeInput, CreateFundInput, PotRulesInput, ScheduleInput, TieBreakInput } from './fund.inputs';
import { BallotKind, Fund, FundPayload } from './fund.types';
import { DateTimeScalar } from '../graphql/date-time.scalar';
import { COMMAND_ID } from '../commands/command-id.arg';

/** Funds: public to read; set up and moved through their phases by administrators. */
@Resolver(() => Fund)
export class FundResolver {
  constructor(
    private readonly funds: FundReader,
    private readonly gateway: CommandGateway,
    private readonly timeTravel: TimeTravel,
  ) {}

  @Public()
  @Query(() => [Fund], { name: 'funds', description: 'Every fund, newest first.' })
  async fundList(
    @Args('asOf', { type: () => String, nullable: true, description: 'A global position or an ISO time: the answer as it stood then.' })
    asOf: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<Fund[]> {
    return this.read(asOf, (funds) => funds.list().filter((fund) => this.shown(fund, asOf, ctx)));
  }

  @Public()
  @Query(() => Fund, { nullable: true, description: 'A fund with its pots, phase and schedule.' })
  async fund(
    @Args('id', { type: () => ID }) id: string,
    @Args('asOf', { type: () => String, nullable: true, description: 'A global position or an ISO time: the answer as it stood then.' })
    asOf: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<Fund | undefined> {
    return this.read(asOf, (funds) => {
      const fund = funds.get(id);
      return fund && this.shown(fund, asOf, ctx) ? fund : undefined;
    });
  }

  /** The embargo's `fund` kind, as of the answer's position and now (every phase shows it today). */
  private shown(fund: Fund, asOf: string | undefined, ctx: RequestContext): boolean {
    const phases = asOf === undefined ? [fund.phase] : [fund.phase, this.funds.get(fund.id)?.phase ?? fund.phase];
    return sight(ctx, 'fund', phases) === 'visible';
  }

  /** Reads the live funds, or (`asOf`) the funds as they stood then; null means the same as no `asOf`. */
  private async read<T>(asOf: string | null | undefined, read: (funds: FundReader) => T): Promise<T> {
    return asOf == null ? read(this.funds) : this.timeTravel.read(asOf, (rm) => read(new FundReader(rm)));
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, { nullable: true, description: 'Creates a fund in draft.' })
  async createFund(
    @Args('input') input: CreateFundInput,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<FundPayload> {
    // Without a fundId the handler names the fund from the command id, so a retry finds it.
    const payload = {
      fundId: input.fundId,
      name: input.name,
      description: input.description,
      currency: input.currency,
      minimumAge: input.minimumAge,
      timeZone: input.timeZone,
      schedule: schedule(input.schedule),
    };
    return this.run('CreateFund', payload, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, {
    nullable: true,
    description: 'Adds a pot (the borough-wide one, or one per ward) while the fund is being set up.',
  })
  async addPot(
    @Args('input') input: AddPotInput,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<FundPayload> {
    requireIds({ potId: input.potId });
    const pot = {
      potId: input.potId,
      name: input.name,
      scope: input.ward ? { kind: 'ward' as const, ward: input.ward } : { kind: 'borough' as const },
      ...rules(input),
    };
    return this.run('AddPot', { fundId: input.fundId, pot }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, {
    nullable: true,
    description: 'Changes a pot’s budget, ballot type, rule or tie-break; refused once voting has opened (FUND.RULES_FROZEN).',
  })
  async changePotRules(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('potId', { type: () => ID }) potId: string,
    @Args('rules') input: PotRulesInput,
    @Args(EXPECTED_REVISION) expectedRevision: number | undefined,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<FundPayload> {
    requireIds({ fundId, potId });
    return this.run('ChangePotRules', { fundId, potId, rules: rules(input) }, commandId, ctx, expectedRevision);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, { nullable: true, description: 'Moves a fund’s schedule (the guards of later phases read it).' })
  async rescheduleFund(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('schedule') input: ScheduleInput,
    @Args(EXPECTED_REVISION) expectedRevision: number | undefined,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<FundPayload> {
    return this.run('RescheduleFund', { fundId, schedule: schedule(input) }, commandId, ctx, expectedRevision);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, { nullable: true, description: 'draft → proposals open' })
  openProposals(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run('OpenProposals', { fundId }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, { nullable: true, description: 'proposals open → review' })
  startReview(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run('StartReview', { fundId }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, { nullable: true, description: 'review → voting open: the pots’ rules are frozen from here on.' })
  openVoting(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run('OpenVoting', { fundId }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, {
    nullable: true,
    description: 'voting open → voting closed: ballots in flight finish first; later ones are refused.',
  })
  closeVoting(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run('CloseVoting', { fundId }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, {
    nullable: true,
    description:
      'voting open → voting closed before the scheduled time, with a reason recorded for auditors and the public. Ballots in flight finish first.',
  })
  closeVotingEarly(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('reason') reason: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run('CloseVotingEarly', { fundId, reason }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, {
    nullable: true,
    description:
      'Moves the close of voting later while voting is open (after an outage, say), with a reason. Nothing reopens a closed vote.',
  })
  extendVoting(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('votingClosesAt', { type: () => DateTimeScalar }) votingClosesAt: Date,
    @Args('reason') reason: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run('ExtendVoting', { fundId, votingClosesAt: isoTime(votingClosesAt, 'votingClosesAt'), reason }, commandId, ctx);
  }

  @Roles('administrator', 'councillor')
  @Mutation(() => FundPayload, {
    nullable: true,
    description: 'voting closed → results published, once every pot’s allocation is published.',
  })
  publishResults(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run('PublishResults', { fundId }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, { nullable: true, description: 'results published → delivery' })
  startDelivery(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run('StartDelivery', { fundId }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, { nullable: true, description: 'delivery → closed' })
  closeFund(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run('CloseFund', { fundId }, commandId, ctx);
  }

  private async run<T extends FundCommand['type']>(
    type: T,
    payload: FundInput<Extract<FundCommand, { type: T }>>,
    commandId: string | undefined,
    ctx: RequestContext,
    expectedRevision?: number,
  ): Promise<FundPayload> {
    requireIds({ fundId: payload.fundId });
    const result = await this.gateway.execute<CommandResult>(
      new RunFundCommand<FundCommand>(type, payload, await this.gateway.input(ctx.principal!, commandId, expectedRevision)),
    );
    // A new fund the client did not name has the id its handler chose.
    const fundId = payload.fundId ?? result.chosenId;
    const fund = fundId === undefined ? undefined : this.funds.get(fundId);
    if (!fund) throw new ApiError('NOT_FOUND', 'There is no such fund.');
    return { fund, position: result.position };
  }
}

function schedule(input: ScheduleInput) {
  return {
    proposalsOpenAt: isoTime(input.proposalsOpenAt, 'proposalsOpenAt'),
    reviewStartsAt: isoTime(input.reviewStartsAt, 'reviewStartsAt'),
    votingOpensAt: isoTime(input.votingOpensAt, 'votingOpensAt'),
    votingClosesAt: isoTime(input.votingClosesAt, 'votingClosesAt'),
  };
}

function rules(input: PotRulesInput) {
  return {
    budget: requireAmount(input.budget, 'budget'),
    ballot: ballotType(input.ballot),
    rule: input.rule,
    tieBreak: tieBreak(input.tieBreak),
  };
}

/** Bounds far past any real ballot (a pot has tens of proposals, a voter tens of points). */
export const MAX_PICKS = 1000;
export const MAX_POINTS = 1_000_000;

function ballotType(input: BallotTypeInput): BallotType {
  if ([input.minPicks, input.maxPicks].some((n) => n != null && n > MAX_PICKS))
    throw new ApiError('INPUT.INVALID', `minPicks and maxPicks may be at most ${MAX_PICKS}.`);
  if (input.points != null && input.points > MAX_POINTS) throw new ApiError('INPUT.INVALID', `points may be at most ${MAX_POINTS}.`);
  switch (input.kind) {
    case BallotKind.approval:
      return { kind: 'approval', minPicks: input.minPicks ?? 0, maxPicks: input.maxPicks ?? Number.NaN };
    case BallotKind.knapsack:
      return { kind: 'knapsack' };
    case BallotKind.cumulative:
      return { kind: 'cumulative', points: input.points ?? Number.NaN };
    default: {
      const unknownKind: never = input.kind;
      throw new ApiError('INPUT.INVALID', `Unknown ballot kind ${String(unknownKind)}.`);
    }
  }
}

function tieBreak(input: TieBreakInput): TieBreakOrder {
  return input.kind === 'equalshares'
    ? { kind: 'equalshares', seed: input.seed ?? '' }
    : input.kind === 'number'
      ? { kind: 'number' }
      : { kind: 'lexico' };
}
