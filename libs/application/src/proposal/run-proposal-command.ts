import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  proposalDecider,
  reject,
  streams,
  type ProposalCommand,
  type ProposalContext,
  type ProposalState,
  type SubmitProposal,
} from '@civic/domain';
import { CommandMessage, type ChosenByServer } from '../command-handling/command-message';
import { CommandRuntime } from '../command-handling/command-runtime';
import type { CommandResult } from '../command-handling/handle-command';
import { newRecordId } from '../ports/event-ids';

/** A proposal command's payload as a transport sends it: a new proposal may come without its id. */
export type ProposalInput<C extends ProposalCommand> = C extends SubmitProposal ? ChosenByServer<C['payload'], 'proposalId'> : C['payload'];

/** The commands a resident issues as the author: the decider checks their standing on the register. */
const BY_RESIDENT: readonly ProposalCommand['type'][] = ['SubmitProposal', 'EditProposal', 'WithdrawProposal'];

/** Submit, edit, withdraw, accept, reject, and the two halves of a merge. */
export class RunProposalCommand<C extends ProposalCommand = ProposalCommand> extends CommandMessage<C['type'], ProposalInput<C>> {}

@CommandHandler(RunProposalCommand)
export class RunProposalCommandHandler implements ICommandHandler<RunProposalCommand, CommandResult> {
  constructor(private readonly runtime: CommandRuntime) {}

  async execute({ type, payload: sent, input }: RunProposalCommand): Promise<CommandResult> {
    const chosenId = type === 'SubmitProposal' && sent.proposalId == null ? newRecordId(input.commandId, 'proposal') : undefined;
    const payload = (chosenId === undefined ? sent : { ...sent, proposalId: chosenId }) as ProposalCommand['payload'];
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
      // A resident acts under their resident id (see CommandInput): the proposer's register stream.
      const proposer =
        BY_RESIDENT.includes(command.type) && command.metadata.actor.role === 'resident'
          ? await reader.resident(command.metadata.actor.id)
          : undefined;
      return { fund: await reader.fund(fundId), other: otherId === undefined ? undefined : await reader.proposal(otherId), proposer };
    };
    const result = await this.runtime.run({
      streamName: streams.proposal(payload.proposalId),
      decider: proposalDecider,
      command,
      context,
      expectedRevision: input.expectedRevision,
    });
    return chosenId === undefined ? result : { ...result, chosenId };
  }
}
