import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { loadStream, RunDeliveryCommand, type CommandResult, type DeliveryInput } from '@civic/application';
import { deliveryDecider, streams, type DeliveryCommand, type MilestoneStatus } from '@civic/domain';
import type { EventStore } from '@civic/event-store';
import type { RequestContext } from '../auth/access.guard';
import { Public, Roles } from '../auth/roles.decorator';
import { CommandGateway } from '../commands/command-gateway';
import { requireAmount, requireIds } from '../errors/input';
import { PenceScalar } from '../graphql/pence.scalar';
import { EVENT_STORE } from '../tokens';
import { COMMAND_ID } from '../commands/command-id.arg';

@ObjectType()
export class MilestoneView {
  @Field(() => ID) milestoneId!: string;
  @Field() title!: string;
  @Field({ description: 'planned, in_progress or done' }) status!: string;
  @Field() note!: string;
}

@ObjectType({ description: 'How a funded proposal is being delivered: milestones and money spent.' })
export class DeliveryView {
  @Field(() => ID) proposalId!: string;
  @Field(() => [MilestoneView]) milestones!: MilestoneView[];
  @Field(() => PenceScalar) totalSpent!: number;
}

const REPORTERS = ['reviewer', 'councillor', 'administrator'] as const;

/** Delivery of funded proposals: reported by staff, public to follow. */
@Resolver()
export class DeliveryResolver {
  constructor(
    private readonly gateway: CommandGateway,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Public()
  @Query(() => DeliveryView, { description: 'Milestones and spend of a funded proposal.' })
  async delivery(@Args('proposalId', { type: () => ID }) proposalId: string): Promise<DeliveryView> {
    const { state } = await loadStream(this.store, streams.delivery(proposalId), deliveryDecider);
    if (state.status === 'none') return { proposalId, milestones: [], totalSpent: 0 };
    return { proposalId, milestones: state.milestones.map((m) => ({ ...m })), totalSpent: state.totalSpent };
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
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<DeliveryView> {
    return this.run('ReportSpend', { fundId, proposalId, amount: requireAmount(amount, 'amount'), description, spentOn }, commandId, ctx);
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
