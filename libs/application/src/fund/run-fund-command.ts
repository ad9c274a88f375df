import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { fundDecider, streams, type AddPot, type CreateFund, type FundCommand, type FundContext, type Pot } from '@civic/domain';
import { CommandMessage, type ChosenByServer } from '../command-handling/command-message';
import { CommandRuntime } from '../command-handling/command-runtime';
import type { CommandResult } from '../command-handling/handle-command';
import { newRecordId } from '../ports/event-ids';

/** A fund command's payload as a transport sends it: a new fund or pot may come without its id. */
export type FundInput<C extends FundCommand> = C extends CreateFund
  ? ChosenByServer<C['payload'], 'fundId'>
  : C extends AddPot
    ? Omit<C['payload'], 'pot'> & { readonly pot: ChosenByServer<Pot, 'potId'> }
    : C['payload'];

/** Any fund command: create, reschedule, pots and their rules, and every phase transition. */
export class RunFundCommand<C extends FundCommand = FundCommand> extends CommandMessage<C['type'], FundInput<C>> {}

@CommandHandler(RunFundCommand)
export class RunFundCommandHandler implements ICommandHandler<RunFundCommand, CommandResult> {
  constructor(private readonly runtime: CommandRuntime) {}

  async execute({ type, payload: sent, input }: RunFundCommand): Promise<CommandResult> {
    const { payload, chosenId } = named(type, sent, input.commandId);
    const command = this.runtime.stamp<FundCommand>(type, payload, input);
    const run = () =>
      this.runtime.run({
        streamName: streams.fund(payload.fundId),
        decider: fundDecider,
        command,
        expectedRevision: input.expectedRevision,
        context: async (state): Promise<FundContext> =>
          type === 'PublishResults' && state.status !== 'none'
            ? { publishedPotIds: await this.runtime.reader.publishedPotIds(state) }
            : type === 'AddPot'
              ? { wards: await this.runtime.reader.wards() }
              : {},
      });
    // The close waits for ballots in flight and holds new ones back: see VotingGate.
    const result = await (type === 'CloseVoting' || type === 'CloseVotingEarly' ? this.runtime.gate.close(payload.fundId, run) : run());
    return chosenId === undefined ? result : { ...result, chosenId };
  }
}

/** Names the new fund or pot the client left unnamed, from the command id. */
const named = (
  type: FundCommand['type'],
  sent: FundInput<FundCommand>,
  commandId: string,
): { payload: FundCommand['payload']; chosenId?: string } => {
  if (type === 'CreateFund' && sent.fundId == null) {
    const chosenId = newRecordId(commandId, 'fund');
    return { payload: { ...sent, fundId: chosenId } as FundCommand['payload'], chosenId };
  }
  if (type === 'AddPot' && 'pot' in sent && sent.pot?.potId == null) {
    const chosenId = newRecordId(commandId, 'pot');
    return { payload: { ...sent, pot: { ...sent.pot, potId: chosenId } } as FundCommand['payload'], chosenId };
  }
  return { payload: sent as FundCommand['payload'] };
};
