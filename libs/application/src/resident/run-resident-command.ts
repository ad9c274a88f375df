import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { requireReference, residentDecider, streams, type ResidentCommand } from '@civic/domain';
import { CommandMessage } from '../command-handling/command-message';
import { CommandRuntime } from '../command-handling/command-runtime';
import type { CommandResult } from '../command-handling/handle-command';

/** A resident command addressed by the resident's reference, as typed; the id is derived from it. */
export type ResidentInput<C extends ResidentCommand> = Omit<C['payload'], 'residentId'> & { readonly reference: string };

/** Register, import one row, verify, assign a ward. */
export class RunResidentCommand<C extends ResidentCommand = ResidentCommand> extends CommandMessage<C['type'], ResidentInput<C>> {}

/** The resident id: the keyed hash of the normalised reference under the register's key. */
export const residentIdFor = (runtime: CommandRuntime, reference: string): Promise<string> =>
  runtime.pseudonymiser.pseudonymFor({ kind: 'register' }, requireReference(reference));

@CommandHandler(RunResidentCommand)
export class RunResidentCommandHandler implements ICommandHandler<RunResidentCommand, CommandResult> {
  constructor(private readonly runtime: CommandRuntime) {}

  async execute({ type, payload, input }: RunResidentCommand): Promise<CommandResult> {
    const { reference, ...rest } = payload;
    const residentId = await residentIdFor(this.runtime, reference);
    const command = this.runtime.stamp<ResidentCommand>(type, { ...rest, residentId } as ResidentCommand['payload'], input);
    return this.runtime.run({ streamName: streams.resident(residentId), decider: residentDecider, command, context: () => undefined });
  }
}
