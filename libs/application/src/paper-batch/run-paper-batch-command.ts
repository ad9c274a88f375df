import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { paperBatchDecider, reject, streams, type PaperBatchCommand, type PaperBatchState } from '@civic/domain';
import { CommandMessage } from '../command-handling/command-message';
import { CommandRuntime } from '../command-handling/command-runtime';
import type { CommandResult } from '../command-handling/handle-command';

/** Records a batch of paper ballots (officer, place, time, scan), or corrects its header. */
export class RunPaperBatchCommand<C extends PaperBatchCommand = PaperBatchCommand> extends CommandMessage<C['type'], C['payload']> {}

@CommandHandler(RunPaperBatchCommand)
export class RunPaperBatchCommandHandler implements ICommandHandler<RunPaperBatchCommand, CommandResult> {
  constructor(private readonly runtime: CommandRuntime) {}

  async execute({ type, payload, input }: RunPaperBatchCommand): Promise<CommandResult> {
    const command = this.runtime.stamp<PaperBatchCommand>(type, payload, input);
    const context = async (state: PaperBatchState) => {
      const fundId =
        command.type === 'RecordPaperBatch'
          ? command.payload.fundId
          : state.status === 'none'
            ? reject('PAPER_BATCH.NOT_FOUND', 'There is no such batch.')
            : state.fundId;
      return { fund: await this.runtime.reader.fund(fundId) };
    };
    return this.runtime.run({ streamName: streams.paperBatch(payload.batchId), decider: paperBatchDecider, command, context });
  }
}
