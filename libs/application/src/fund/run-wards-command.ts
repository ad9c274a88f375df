import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, wardsDecider, type WardsCommand } from '@civic/domain';
import { CommandMessage } from '../command-handling/command-message';
import { CommandRuntime } from '../command-handling/command-runtime';
import type { CommandResult } from '../command-handling/handle-command';

/** Configures the borough's wards (the list pots and the register name). */
export class RunWardsCommand<C extends WardsCommand = WardsCommand> extends CommandMessage<C['type'], C['payload']> {}

@CommandHandler(RunWardsCommand)
export class RunWardsCommandHandler implements ICommandHandler<RunWardsCommand, CommandResult> {
  constructor(private readonly runtime: CommandRuntime) {}

  execute({ type, payload, input }: RunWardsCommand): Promise<CommandResult> {
    const command = this.runtime.stamp<WardsCommand>(type, payload, input);
    return this.runtime.run({ streamName: streams.wards(), decider: wardsDecider, command, context: () => undefined });
  }
}
