import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  deliveryDecider,
  streams,
  type DeliveryCommand,
  type DeliveryContext,
  type ReportMilestone,
  type ReportSpend,
} from '@civic/domain';
import { CommandMessage, type ChosenByServer } from '../command-handling/command-message';
import { CommandRuntime } from '../command-handling/command-runtime';
import type { CommandResult } from '../command-handling/handle-command';
import { newRecordId } from '../ports/event-ids';

/** A delivery command's payload as a transport sends it: a new milestone or spend may come without its id. */
export type DeliveryInput<C extends DeliveryCommand> = C extends ReportMilestone
  ? ChosenByServer<C['payload'], 'milestoneId'>
  : C extends ReportSpend
    ? ChosenByServer<C['payload'], 'spendId'>
    : C['payload'];

/** Milestones and spend of a funded proposal. */
export class RunDeliveryCommand<C extends DeliveryCommand = DeliveryCommand> extends CommandMessage<C['type'], DeliveryInput<C>> {}

@CommandHandler(RunDeliveryCommand)
export class RunDeliveryCommandHandler implements ICommandHandler<RunDeliveryCommand, CommandResult> {
  constructor(private readonly runtime: CommandRuntime) {}

  async execute({ type, payload: sent, input }: RunDeliveryCommand): Promise<CommandResult> {
    const { payload, chosenId } = named(type, sent, input.commandId);
    const command = this.runtime.stamp<DeliveryCommand>(type, payload, input);
    const { reader } = this.runtime;
    const context = async (): Promise<DeliveryContext> => {
      const proposal = await reader.proposal(payload.proposalId);
      // An unknown proposal has no allocation, so the decider refuses it as not funded.
      const allocation = proposal.status === 'none' ? { status: 'none' as const, handled: [] } : await reader.allocation(proposal.potId);
      return { fund: await reader.fund(payload.fundId), allocation };
    };
    const result = await this.runtime.run({
      streamName: streams.delivery(payload.proposalId),
      decider: deliveryDecider,
      command,
      context,
      expectedRevision: input.expectedRevision,
    });
    return chosenId === undefined ? result : { ...result, chosenId };
  }
}

/** Names the new milestone or spend the client left unnamed, from the command id. */
const named = (
  type: DeliveryCommand['type'],
  sent: DeliveryInput<DeliveryCommand>,
  commandId: string,
): { payload: DeliveryCommand['payload']; chosenId?: string } => {
  const field = type === 'ReportMilestone' ? 'milestoneId' : 'spendId';
  if ((sent as Record<string, unknown>)[field] != null) return { payload: sent as DeliveryCommand['payload'] };
  const chosenId = newRecordId(commandId, field === 'milestoneId' ? 'milestone' : 'spend');
  return { payload: { ...sent, [field]: chosenId } as DeliveryCommand['payload'], chosenId };
};
