import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { fundDecider, streams, type FundCommand, type FundContext } from '@civic/domain';
import { CommandMessage } from '../command-handling/command-message';
import { CommandRuntime } from '../command-handling/command-runtime';
import type { CommandResult } from '../command-handling/handle-command';

/** Any fund command: create, reschedule, pots and their rules, and every phase transition. */
export class RunFundCommand<C extends FundCommand = FundCommand> extends CommandMessage<C['type'], C['payload']> {}

@CommandHandler(RunFundCommand)
export class RunFundCommandHandler implements ICommandHandler<RunFundCommand, CommandResult> {
  constructor(private readonly runtime: CommandRuntime) {}

  async execute({ type, payload, input }: RunFundCommand): Promise<CommandResult> {
    const command = this.runtime.stamp<FundCommand>(type, payload, input);
    const run = () =>
      this.runtime.run({
        streamName: streams.fund(payload.fundId),
        decider: fundDecider,
        command,
        context: async (state): Promise<FundContext> =>
          type === 'PublishResults' && state.status !== 'none'
            ? { publishedPotIds: await this.runtime.reader.publishedPotIds(state) }
            : type === 'AddPot'
              ? { wards: await this.runtime.reader.wards() }
              : {},
      });
    // The close waits for ballots in flight and holds new ones back: see VotingGate.
    return type === 'CloseVoting' || type === 'CloseVotingEarly' ? this.runtime.gate.close(payload.fundId, run) : run();
  }
}
