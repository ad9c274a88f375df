import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { allocationDecider, streams, type AllocationCommand, type AllocationContext, type RecordAllocation } from '@civic/domain';
import { CommandMessage } from '../command-handling/command-message';
import { CommandRuntime } from '../command-handling/command-runtime';
import type { CommandResult } from '../command-handling/handle-command';

/** A councillor's decision on a recorded allocation: override a line, ratify, publish. */
export type CouncillorAllocationCommand = Exclude<AllocationCommand, RecordAllocation>;

export class RunAllocationCommand<C extends CouncillorAllocationCommand = CouncillorAllocationCommand> extends CommandMessage<
  C['type'],
  C['payload']
> {}

@CommandHandler(RunAllocationCommand)
export class RunAllocationCommandHandler implements ICommandHandler<RunAllocationCommand, CommandResult> {
  constructor(private readonly runtime: CommandRuntime) {}

  async execute({ type, payload, input }: RunAllocationCommand): Promise<CommandResult> {
    const command = this.runtime.stamp<CouncillorAllocationCommand>(type, payload, input);
    const { reader } = this.runtime;
    const context = async (): Promise<AllocationContext> => {
      const fund = await reader.fund(payload.fundId);
      return { fund, acceptedProposals: await reader.acceptedProposals(fund, payload.potId) };
    };
    return this.runtime.run({ streamName: streams.allocation(payload.potId), decider: allocationDecider, command, context });
  }
}
