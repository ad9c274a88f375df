import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RunFundCommand, type CommandResult } from '@civic/application';
import { streams, type BallotType, type FundCommand, type TieBreakOrder } from '@civic/domain';
import type { EventStore } from '@civic/event-store';
import type { RequestContext } from '../auth/access.guard';
import { Public, Roles } from '../auth/roles.decorator';
import { CommandGateway } from '../commands/command-gateway';
import { ApiError } from '../errors/api-error';
import { EXPECTED_REVISION, isoTime, requireAmount, requireIds, requireRevision } from '../errors/input';
import { TimeTravel } from '../time-travel/time-travel';
import { EVENT_STORE } from '../tokens';
import { FundReader } from './fund.reader';
import { AddPotInput, BallotTypeInput, CreateFundInput, PotRulesInput, ScheduleInput, TieBreakInput } from './fund.inputs';
import { BallotKind, Fund, FundPayload } from './fund.types';
import { COMMAND_ID } from '../commands/command-id.arg';

/** Funds: public to read; set up and moved through their phases by administrators. */
@Resolver(() => Fund)
export class FundResolver {
  constructor(
    private readonly funds: FundReader,
    private readonly gateway: CommandGateway,
    private readonly timeTravel: TimeTravel,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Public()
  @Query(() => [Fund], { name: 'funds', description: 'Every fund, newest first.' })
  async fundList(
    @Args('asOf', { type: () => String, nullable: true, description: 'A global position or an ISO time: the answer as it stood then.' })
    asOf: string | undefined,
  ): Promise<Fund[]> {
    return this.read(asOf, (funds) => funds.list());
  }

  @Public()
  @Query(() => Fund, { nullable: true, description: 'A fund with its pots, phase and schedule.' })
  async fund(
    @Args('id', { type: () => ID }) id: string,
    @Args('asOf', { type: () => String, nullable: true, description: 'A global position or an ISO time: the answer as it stood then.' })
    asOf: string | undefined,
  ): Promise<Fund | undefined> {
    return this.read(asOf, (funds) => funds.get(id));
  }

  /** Reads the live funds, or (`asOf`) the funds as they stood then; null means the same as no `asOf`. */
  private async read<T>(asOf: string | null | undefined, read: (funds: FundReader) => T): Promise<T> {
    return asOf == null ? read(this.funds) : this.timeTravel.read(asOf, (rm) => read(new FundReader(rm)));
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, { description: 'Creates a fund in draft.' })
  async createFund(
    @Args('input') input: CreateFundInput,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<FundPayload> {
    const fundId = input.fundId ?? randomUUID();
    const payload = {
      fundId,
      name: input.name,
      description: input.description,
      currency: input.currency,
      minimumAge: input.minimumAge,
      schedule: schedule(input.schedule),
    };
    return this.run(fundId, 'CreateFund', payload, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, { description: 'Adds a pot (the borough-wide one, or one per ward) while the fund is being set up.' })
  async addPot(
    @Args('input') input: AddPotInput,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<FundPayload> {
    requireIds({ potId: input.potId });
    const pot = {
      potId: input.potId ?? randomUUID(),
      name: input.name,
      scope: input.ward ? { kind: 'ward' as const, ward: input.ward } : { kind: 'borough' as const },
      ...rules(input),
    };
    return this.run(input.fundId, 'AddPot', { fundId: input.fundId, pot }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, {
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
    await requireRevision(this.store, streams.fund(fundId), expectedRevision, 'fund');
    return this.run(fundId, 'ChangePotRules', { fundId, potId, rules: rules(input) }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, { description: 'Moves a fund’s schedule (the guards of later phases read it).' })
  async rescheduleFund(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('schedule') input: ScheduleInput,
    @Args(EXPECTED_REVISION) expectedRevision: number | undefined,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<FundPayload> {
    requireIds({ fundId });
    await requireRevision(this.store, streams.fund(fundId), expectedRevision, 'fund');
    return this.run(fundId, 'RescheduleFund', { fundId, schedule: schedule(input) }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, { description: 'draft → proposals open' })
  openProposals(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run(fundId, 'OpenProposals', { fundId }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, { description: 'proposals open → review' })
  startReview(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run(fundId, 'StartReview', { fundId }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, { description: 'review → voting open: the pots’ rules are frozen from here on.' })
  openVoting(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run(fundId, 'OpenVoting', { fundId }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, { description: 'voting open → voting closed: ballots in flight finish first; later ones are refused.' })
  closeVoting(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run(fundId, 'CloseVoting', { fundId }, commandId, ctx);
  }

  @Roles('administrator', 'councillor')
  @Mutation(() => FundPayload, { description: 'voting closed → results published, once every pot’s allocation is published.' })
  publishResults(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run(fundId, 'PublishResults', { fundId }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, { description: 'results published → delivery' })
  startDelivery(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run(fundId, 'StartDelivery', { fundId }, commandId, ctx);
  }

  @Roles('administrator')
  @Mutation(() => FundPayload, { description: 'delivery → closed' })
  closeFund(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ) {
    return this.run(fundId, 'CloseFund', { fundId }, commandId, ctx);
  }

  private async run<T extends FundCommand['type']>(
    fundId: string,
    type: T,
    payload: Extract<FundCommand, { type: T }>['payload'],
    commandId: string | undefined,
    ctx: RequestContext,
  ): Promise<FundPayload> {
    requireIds({ fundId });
    const result = await this.gateway.execute<CommandResult>(
      new RunFundCommand<FundCommand>(type, payload, await this.gateway.input(ctx.principal!, commandId)),
    );
    const fund = this.funds.get(fundId);
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
  return input.kind === 'equalshares' ? { kind: 'equalshares', seed: input.seed ?? '' } : { kind: 'lexico' };
}
