import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  proposalDecider,
  proposalNumberOf,
  proposalNumbersDecider,
  reject,
  streams,
  type AcceptProposal,
  type ImportProposal,
  type ProposalCommand,
  type ProposalContext,
  type ProposalNumberReserved,
  type ProposalState,
  type ReserveProposalNumber,
  type SubmitProposal,
} from '@civic/domain';
import { CommandMessage, type ChosenByServer } from '../command-handling/command-message';
import { causedBy, type CommandInput } from '../command-handling/command-input';
import { CommandRuntime } from '../command-handling/command-runtime';
import { handleCommand, type CommandResult } from '../command-handling/handle-command';
import { KeyedQueue } from '../command-handling/keyed-queue';
import { loadStream } from '../command-handling/load-stream';
import { childCommandId, newRecordId } from '../ports/event-ids';

/** A proposal command's payload as a transport sends it: a new proposal may come without its id. */
export type ProposalInput<C extends ProposalCommand> = C extends SubmitProposal ? ChosenByServer<C['payload'], 'proposalId'> : C['payload'];

/** The commands a resident issues as the author: the decider checks their standing on the register. */
const BY_RESIDENT: readonly ProposalCommand['type'][] = ['SubmitProposal', 'EditProposal', 'WithdrawProposal'];

/** Submit, edit, withdraw, accept, reject, and the two halves of a merge. */
export class RunProposalCommand<C extends ProposalCommand = ProposalCommand> extends CommandMessage<C['type'], ProposalInput<C>> {}

@CommandHandler(RunProposalCommand)
export class RunProposalCommandHandler implements ICommandHandler<RunProposalCommand, CommandResult> {
  /** A fund's reservations take turns inside this process: reviewers accepting at once do not race for the same number. */
  private readonly numbering = new KeyedQueue();

  constructor(private readonly runtime: CommandRuntime) {}

  async execute({ type, payload: sent, input }: RunProposalCommand): Promise<CommandResult> {
    const chosenId = type === 'SubmitProposal' && sent.proposalId == null ? newRecordId(input.commandId, 'proposal') : undefined;
    const payload = (chosenId === undefined ? sent : { ...sent, proposalId: chosenId }) as ProposalCommand['payload'];
    const command = this.runtime.stamp<ProposalCommand>(type, payload, input);
    const { reader } = this.runtime;
    const context = async (state: ProposalState): Promise<ProposalContext> => {
      const fundId =
        command.type === 'SubmitProposal' || command.type === 'ImportProposal'
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
    const streamName = streams.proposal(payload.proposalId);
    const numbered = command.type === 'AcceptProposal' || command.type === 'ImportProposal';
    const number =
      command.type === 'AcceptProposal' || command.type === 'ImportProposal'
        ? await this.reserveNumber(command, streamName, context, input)
        : undefined;
    const result = await this.runtime.run({
      streamName,
      decider: proposalDecider,
      command,
      context: numbered ? async (state) => ({ ...(await context(state)), number }) : context,
      expectedRevision: input.expectedRevision,
    });
    return chosenId === undefined ? result : { ...result, chosenId };
  }

  /**
   * Reserves the proposal's public number in its fund before the acceptance is recorded. The
   * acceptance is decided first (with a stand-in number), so a refused acceptance uses up no
   * number; a retry, or a proposal that already holds a number, reserves nothing new. The
   * reservation's command id derives from the acceptance's, so its events never share ids.
   */
  private async reserveNumber(
    command: AcceptProposal | ImportProposal,
    streamName: string,
    context: (state: ProposalState) => Promise<ProposalContext>,
    input: CommandInput,
  ): Promise<number | undefined> {
    const { state } = await loadStream(this.runtime.store, streamName, proposalDecider);
    const wouldAccept = proposalDecider.decide(command, state, { ...(await context(state)), number: 1 });
    if (wouldAccept.length === 0) return undefined;
    const fundId = command.type === 'ImportProposal' ? command.payload.fundId : state.status === 'none' ? undefined : state.fundId;
    if (fundId === undefined) return undefined;
    const reservation = this.runtime.stamp<ReserveProposalNumber>(
      'ReserveProposalNumber',
      { fundId, proposalId: command.payload.proposalId },
      causedBy(input, childCommandId(input.commandId, 'proposal-number')),
    );
    const numbers = streams.proposalNumbers(fundId);
    // Every acceptance of the fund appends here. Inside this process they take turns; another
    // API node's reviewers can still get in between, so allow more rounds than a single record's
    // default. Each round reads the latest reservations only (the decider folds its last few events).
    const { events } = await this.numbering.run(fundId, () =>
      handleCommand(
        this.runtime.store,
        { streamName: numbers, decider: proposalNumbersDecider, command: reservation, context: () => undefined },
        { maxAttempts: 100 },
      ),
    );
    // Nothing new: a retry, or another reviewer reserved this proposal's number just before.
    const reserved =
      events.length > 0
        ? (events[0] as ProposalNumberReserved).data.number
        : proposalNumberOf((await loadStream(this.runtime.store, numbers, proposalNumbersDecider)).state, command.payload.proposalId);
    return reserved ?? reject('COMMAND.CONFLICT', 'The proposal number could not be reserved; please try again.');
  }
}
