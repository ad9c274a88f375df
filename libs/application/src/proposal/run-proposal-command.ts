import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { proposalDecider, reject, streams, type ProposalCommand, type ProposalContext, type ProposalState } from '@civic/domain';
import { CommandMessage } from '../command-handling/command-message';
import { CommandRuntime } from '../command-handling/command-runtime';
import type { CommandResult } from '../command-handling/handle-command';

/** Submit, edit, withdraw, accept, reject, and the two halves of a merge. */
export class RunProposalCommand<C extends ProposalCommand = ProposalCommand> extends CommandMessage<C['type'], C['payload']> {}

@CommandHandler(RunProposalCommand)
export class RunProposalCommandHandler implements ICommandHandler<RunProposalCommand, CommandResult> {
  constructor(private readonly runtime: CommandRuntime) {}

  async execute({ type, payload, input }: RunProposalCommand): Promise<CommandResult> {
    const command = this.runtime.stamp<ProposalCommand>(type, payload, input);
    const { reader } = this.runtime;
    const context = async (state: ProposalState): Promise<ProposalContext> => {
      const fundId =
        command.type === 'SubmitProposal'
          ? command.payload.fundId
          : state.status === 'none'
            ? reject('PROPOSAL.NOT_FOUND', 'There is no such proposal.')
            : state.fundId;
      const otherId =
        command.type === 'MergeProposal'
          ? command.payload.survivorId
          : command.type === 'AbsorbDuplicate'
            ? command.payload.duplicateId
            : undefined;
      return { fund: await reader.fund(fundId), other: otherId === undefined ? undefined : await reader.proposal(otherId) };
    };
    return this.runtime.run({ streamName: streams.proposal(payload.proposalId), decider: proposalDecider, command, context });
  }
}
