import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { deliveryDecider, streams, type DeliveryCommand, type DeliveryContext } from '@civic/domain';
import { CommandMessage } from '../command-handling/command-message';
import { CommandRuntime } from '../command-handling/command-runtime';
import type { CommandResult } from '../command-handling/handle-command';

/** Milestones and spend of a funded proposal. */
export class RunDeliveryCommand<C extends DeliveryCommand = DeliveryCommand> extends CommandMessage<C['type'], C['payload']> {}

@CommandHandler(RunDeliveryCommand)
export class RunDeliveryCommandHandler implements ICommandHandler<RunDeliveryCommand, CommandResult> {
  constructor(private readonly runtime: CommandRuntime) {}

  async execute({ type, payload, input }: RunDeliveryCommand): Promise<CommandResult> {
    const command = this.runtime.stamp<DeliveryCommand>(type, payload, input);
    const { reader } = this.runtime;
    const context = async (): Promise<DeliveryContext> => {
      const proposal = await reader.proposal(payload.proposalId);
      // An unknown proposal has no allocation, so the decider refuses it as not funded.
      const allocation = proposal.status === 'none' ? { status: 'none' as const, handled: [] } : await reader.allocation(proposal.potId);
      return { fund: await reader.fund(payload.fundId), allocation };
    };
    return this.runtime.run({ streamName: streams.delivery(payload.proposalId), decider: deliveryDecider, command, context });
  }
}
