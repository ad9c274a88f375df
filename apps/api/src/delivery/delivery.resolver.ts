import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { QueryBus } from '@nestjs/cqrs';
import { statement, type ReadModelDatabase } from '@civic/projections';
import {
  GetPotResultsQuery,
  loadStream,
  RunDeliveryCommand,
  type CommandResult,
  type DeliveryInput,
  type PotResults,
} from '@civic/application';
import { deliveryDecider, streams, type DeliveryCommand, type MilestoneStatus } from '@civic/domain';
import type { EventStore } from '@civic/event-store';
import type { RequestContext } from '../auth/access.guard';
import { Public, Roles } from '../auth/roles.decorator';
import { CommandGateway } from '../commands/command-gateway';
import { requireAmount, requireIds } from '../errors/input';
import { PenceScalar } from '../graphql/pence.scalar';
import { EVENT_STORE } from '../tokens';
import { ApiError } from '../errors/api-error';
import { FundReader } from '../funds/fund.reader';
import { ProposalReader } from '../proposals/proposal.reader';
import { READ_MODELS } from '../read-models/read-models.module';
import { COMMAND_ID } from '../commands/command-id.arg';

@ObjectType()
export class MilestoneView {
  @Field(() => ID) milestoneId!: string;
  @Field() title!: string;
  @Field({ description: 'planned, in_progress or done' }) status!: string;
  @Field() note!: string;
}

@ObjectType({ description: 'One item of money spent on a funded proposal.' })
export class SpendView {
  @Field(() => ID) spendId!: string;
  @Field(() => PenceScalar) amount!: number;
  @Field() description!: string;
  @Field({ description: 'YYYY-MM-DD' }) spentOn!: string;
  @Field({ nullable: true, description: 'Why this spend took the total past the official cost.' }) overspendReason?: string;
}

@ObjectType({ description: 'How a funded proposal is being delivered: milestones and money spent.' })
export class DeliveryView {
  @Field(() => ID) proposalId!: string;
  @Field(() => [MilestoneView], { description: 'In the order they were first reported, each as last reported.' })
  milestones!: MilestoneView[];
  @Field(() => [SpendView], { description: 'Every spend item, in the order reported.' }) spends!: SpendView[];
  @Field(() => PenceScalar) totalSpent!: number;
}

@ObjectType({ description: 'A funded proposal of a fund and its delivery.' })
export class FundedDeliveryView extends DeliveryView {
  @Field(() => ID) potId!: string;
  @Field() title!: string;
  @Field(() => Int, { nullable: true }) number?: number;
  @Field(() => PenceScalar, { description: 'The official cost: what the allocation granted.' }) officialCost!: number;
  @Field({ description: 'True when the spend so far is past the official cost.' }) overspent!: boolean;
}

const REPORTERS = ['reviewer', 'councillor', 'administrator'] as const;

/** Delivery of funded proposals: reported by staff, public to follow. */
@Resolver()
export class DeliveryResolver {
  constructor(
    private readonly gateway: CommandGateway,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelDatabase,
    private readonly queries: QueryBus,
    private readonly funds: FundReader,
    private readonly proposals: ProposalReader,
  ) {}

  @Public()
  @Query(() => DeliveryView, { description: 'Milestones and spend of a funded proposal.' })
  async delivery(@Args('proposalId', { type: () => ID }) proposalId: string): Promise<DeliveryView> {
    const { state } = await loadStream(this.store, streams.delivery(proposalId), deliveryDecider);
    return { proposalId, ...this.items(proposalId), totalSpent: state.status === 'none' ? 0 : state.totalSpent };
  }

  @Public()
  @Query(() => [FundedDeliveryView], {
    description: 'Every funded proposal of a fund, with its milestones and spend against its official cost.',
  })
  async fundDelivery(@Args('fundId', { type: () => ID }) fundId: string): Promise<FundedDeliveryView[]> {
    requireIds({ fundId });
    const fund = this.funds.get(fundId);
    if (!fund) throw new ApiError('NOT_FOUND', 'There is no such fund.');
    const out: FundedDeliveryView[] = [];
    for (const pot of fund.pots) {
      const results = await this.queries.execute<GetPotResultsQuery, PotResults>(new GetPotResultsQuery(pot.id));
      if (results.status !== 'published') continue;
      for (const line of results.lines.filter((l) => l.funded)) {
        const delivery = await this.delivery(line.proposalId);
        const proposal = this.proposals.get(line.proposalId);
        out.push({
          ...delivery,
          potId: pot.id,
          title: proposal?.title ?? '',
          number: proposal?.number,
          officialCost: line.amount,
          overspent: delivery.totalSpent > line.amount,
        });
      }
    }
    return out;
  }

  /** Milestones and spend items from the read models. */
  private items(proposalId: string): Pick<DeliveryView, 'milestones' | 'spends'> {
    const db = this.readModels.db;
    const milestones = statement(
      db,
      `SELECT milestone_id, title, status, note FROM delivery_milestones WHERE proposal_id = ? ORDER BY ordinal`,
    ).all(proposalId) as {
      milestone_id: string;
      title: string;
      status: string;
      note: string;
    }[];
    const spends = statement(
      db,
      `SELECT spend_id, amount, description, spent_on, overspend_reason FROM delivery_spends WHERE proposal_id = ? ORDER BY seq`,
    ).all(proposalId) as { spend_id: string; amount: number; description: string; spent_on: string; overspend_reason: string | null }[];
    return {
      milestones: milestones.map((m) => ({ milestoneId: m.milestone_id, title: m.title, status: m.status, note: m.note })),
      spends: spends.map((s) => ({
        spendId: s.spend_id,
        amount: s.amount,
        description: s.description,
        spentOn: s.spent_on,
        overspendReason: s.overspend_reason ?? undefined,
      })),
    };
  }

  @Roles(...REPORTERS)
  @Mutation(() => DeliveryView, { nullable: true, description: 'Reports a milestone (again, as it progresses) of a funded proposal.' })
  async reportMilestone(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('proposalId', { type: () => ID }) proposalId: string,
    @Args('title') title: string,
    @Args('status') status: string,
    @Args('note', { defaultValue: '' }) note: string,
    @Args('milestoneId', { type: () => ID, nullable: true }) milestoneId: string | undefined,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<DeliveryView> {
    // Without a milestoneId the handler names the milestone from the command id, so a retry finds it.
    const payload = { fundId, proposalId, milestoneId, title, status: status as MilestoneStatus, note };
    return this.run('ReportMilestone', payload, commandId, ctx);
  }

  @Roles(...REPORTERS)
  @Mutation(() => DeliveryView, { nullable: true, description: 'Reports money spent on a funded proposal.' })
  async reportSpend(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('proposalId', { type: () => ID }) proposalId: string,
    @Args('amount', { type: () => PenceScalar }) amount: number,
    @Args('description') description: string,
    @Args('spentOn', { description: 'YYYY-MM-DD' }) spentOn: string,
    @Args('overspendReason', {
      type: () => String,
      nullable: true,
      description: 'Required when this spend takes the total past the official cost.',
    })
    overspendReason: string | undefined,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<DeliveryView> {
    return this.run(
      'ReportSpend',
      {
        fundId,
        proposalId,
        amount: requireAmount(amount, 'amount'),
        description,
        spentOn,
        ...(overspendReason !== undefined && { overspendReason }),
      },
      commandId,
      ctx,
    );
  }

  private async run(
    type: DeliveryCommand['type'],
    payload: DeliveryInput<DeliveryCommand>,
    commandId: string | undefined,
    ctx: RequestContext,
  ): Promise<DeliveryView> {
    requireIds({
      fundId: payload.fundId,
      proposalId: payload.proposalId,
      ...('milestoneId' in payload ? { milestoneId: payload.milestoneId } : {}),
    });
    await this.gateway.execute<CommandResult>(
      new RunDeliveryCommand<DeliveryCommand>(type, payload, await this.gateway.input(ctx.principal!, commandId)),
    );
    return this.delivery(payload.proposalId);
  }
}
