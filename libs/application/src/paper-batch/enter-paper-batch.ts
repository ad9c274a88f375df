import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { isDomainError, type BallotContent, type RecordPaperBallot, type RecordPaperBatch } from '@civic/domain';
import { RunBallotCommand, RunBallotCommandHandler } from '../ballot/run-ballot-command';
import { causedBy, type CommandInput, type PartOutcome } from '../command-handling/command-input';
import type { CommandResult } from '../command-handling/handle-command';
import { childCommandId } from '../ports/event-ids';
import { RunPaperBatchCommand, RunPaperBatchCommandHandler } from './run-paper-batch-command';

/** One paper ballot as typed from the form: the voter's reference and their marks. */
export interface PaperEntry {
  readonly reference: string;
  readonly content: BallotContent;
}

/** A batch of paper ballots and its entries, entered by hand by a reviewer. */
export class EnterPaperBatchCommand {
  constructor(
    readonly batch: Omit<RecordPaperBatch['payload'], 'entryCount'>,
    readonly entries: readonly PaperEntry[],
    readonly input: CommandInput,
  ) {}
}

export interface EnterPaperBatchResult {
  readonly batch: CommandResult;
  /** Entry n (from 1) of the batch: recorded, or refused with the code an online ballot would get. */
  readonly entries: readonly (PartOutcome & { readonly entryNo: number })[];
  /** The global position of the last event written (the batch or an entry); absent when nothing was. */
  readonly position?: string;
}

/**
 * Records the batch, then each entry as a paper ballot under the same validity rules as an
 * online one. Ids derive from the command's, so re-sending the same batch after a failure
 * records only what was missing; a wrong entry is corrected later by `CorrectPaperBallot`.
 */
@CommandHandler(EnterPaperBatchCommand)
export class EnterPaperBatchHandler implements ICommandHandler<EnterPaperBatchCommand, EnterPaperBatchResult> {
  constructor(
    private readonly batches: RunPaperBatchCommandHandler,
    private readonly ballots: RunBallotCommandHandler,
  ) {}

  async execute({ batch, entries, input }: EnterPaperBatchCommand): Promise<EnterPaperBatchResult> {
    const step = (part: string) => causedBy(input, childCommandId(input.commandId, part));
    const recorded = await this.batches.execute(
      new RunPaperBatchCommand<RecordPaperBatch>('RecordPaperBatch', { ...batch, entryCount: entries.length }, step('batch')),
    );
    const outcomes: EnterPaperBatchResult['entries'][number][] = [];
    let position = recorded.position;
    for (const [index, entry] of entries.entries()) {
      const entryNo = index + 1;
      const payload = {
        fundId: batch.fundId,
        potId: batch.potId,
        voter: { reference: entry.reference },
        batchId: batch.batchId,
        entryNo,
        content: entry.content,
      };
      try {
        const receipt = await this.ballots.execute(
          new RunBallotCommand<RecordPaperBallot>('RecordPaperBallot', payload, step(`entry:${entryNo}`)),
        );
        position = receipt.position ?? position;
        outcomes.push({ entryNo, ok: true });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        outcomes.push({ entryNo, ok: false, code: error.code, message: error.message });
      }
    }
    return { batch: recorded, entries: outcomes, position };
  }
}
