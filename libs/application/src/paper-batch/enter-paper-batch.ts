import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  isDomainError,
  reject,
  type AcceptedProposal,
  type BallotContent,
  type BallotType,
  type RecordPaperBallot,
  type RecordPaperBatch,
  type RecordPaperEntryRefusal,
} from '@civic/domain';
import { RunBallotCommand, RunBallotCommandHandler } from '../ballot/run-ballot-command';
import { causedBy, type CommandInput, type PartOutcome } from '../command-handling/command-input';
import { CommandRuntime } from '../command-handling/command-runtime';
import type { CommandResult } from '../command-handling/handle-command';
import type { ChosenByServer } from '../command-handling/command-message';
import { childCommandId, newRecordId } from '../ports/event-ids';
import { RunPaperBatchCommand, RunPaperBatchCommandHandler } from './run-paper-batch-command';

/** What a paper form marks, by the proposal numbers printed on it: the numbers ticked, or each number with its points. */
export type PaperMarks =
  { readonly numbers: readonly number[] } | { readonly points: readonly { readonly number: number; readonly points: number }[] };

/** One paper ballot as typed from the form: the voter's reference and their marks, by proposal id or by the numbers on the form. */
export type PaperEntry =
  { readonly reference: string; readonly content: BallotContent } | { readonly reference: string; readonly marks: PaperMarks };

/** The ballot a form's numbers stand for; a number no accepted proposal of the pot has refuses the entry (not the batch). */
export function contentOfMarks(marks: PaperMarks, ballot: BallotType, accepted: readonly AcceptedProposal[]): BallotContent {
  const idOf = (number: number) =>
    accepted.find((a) => a.number === number)?.proposalId ??
    reject('BALLOT.UNKNOWN_NUMBER', `No accepted proposal of this pot has number ${number}.`, { params: { number } });
  if ('points' in marks) {
    if (ballot.kind !== 'cumulative') return reject('BALLOT.WRONG_BALLOT_TYPE', `This pot takes ${ballot.kind} ballots.`);
    return { kind: 'cumulative', points: marks.points.map((p) => ({ proposalId: idOf(p.number), points: p.points })) };
  }
  if (ballot.kind === 'cumulative') return reject('BALLOT.WRONG_BALLOT_TYPE', 'This pot takes points.');
  return { kind: ballot.kind, proposalIds: marks.numbers.map(idOf) };
}

/** A batch of paper ballots and its entries, entered by hand by a reviewer; without a batch id, the handler names it. */
export class EnterPaperBatchCommand {
  constructor(
    readonly batch: ChosenByServer<Omit<RecordPaperBatch['payload'], 'entryCount'>, 'batchId'>,
    readonly entries: readonly PaperEntry[],
    readonly input: CommandInput,
  ) {}
}

export interface EnterPaperBatchResult {
  /** The batch's id: the client's, or the one derived from the command id. */
  readonly batchId: string;
  readonly batch: CommandResult;
  /** Entry n (from 1) of the batch: recorded, or refused with the code an online ballot would get. */
  readonly entries: readonly (PartOutcome & { readonly entryNo: number })[];
  /** The global position of the last event written (the batch or an entry), now or by the first call of a retry; absent when nothing was. */
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
    private readonly runtime: CommandRuntime,
  ) {}

  async execute({ batch: sent, entries, input }: EnterPaperBatchCommand): Promise<EnterPaperBatchResult> {
    const batch = { ...sent, batchId: sent.batchId ?? newRecordId(input.commandId, 'paper-batch') };
    const step = (part: string) => causedBy(input, childCommandId(input.commandId, part));
    const recorded = await this.batches.execute(
      new RunPaperBatchCommand<RecordPaperBatch>('RecordPaperBatch', { ...batch, entryCount: entries.length }, step('batch')),
    );
    const outcomes: EnterPaperBatchResult['entries'][number][] = [];
    let position = recorded.position;
    // Review is over once voting opens: the numbers stand for the same proposals for the whole batch.
    const numbered = entries.some((e) => 'marks' in e) ? await this.numbering(batch.fundId, batch.potId) : undefined;
    for (const [index, entry] of entries.entries()) {
      const entryNo = index + 1;
      try {
        const content = 'marks' in entry ? contentOfMarks(entry.marks, numbered!.ballot, numbered!.accepted) : entry.content;
        const payload = {
          fundId: batch.fundId,
          potId: batch.potId,
          voter: { reference: entry.reference },
          batchId: batch.batchId,
          entryNo,
          content,
        };
        const receipt = await this.ballots.execute(
          new RunBallotCommand<RecordPaperBallot>('RecordPaperBallot', payload, step(`entry:${entryNo}`)),
        );
        position = receipt.position ?? position;
        outcomes.push({ entryNo, ok: true });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        outcomes.push({ entryNo, ok: false, code: error.code, message: error.message });
        // Kept on the batch (code and plain message, never the voter), so its reconciliation says why later.
        const refusal = await this.batches.execute(
          new RunPaperBatchCommand<RecordPaperEntryRefusal>(
            'RecordPaperEntryRefusal',
            { batchId: batch.batchId, entryNo, code: error.code, message: error.message },
            step(`refusal:${entryNo}`),
          ),
        );
        position = refusal.position ?? position;
      }
    }
    return { batchId: batch.batchId, batch: recorded, entries: outcomes, position };
  }

  private async numbering(fundId: string, potId: string): Promise<{ ballot: BallotType; accepted: readonly AcceptedProposal[] }> {
    const fund = await this.runtime.reader.fund(fundId);
    const pot = fund.pots.find((p) => p.potId === potId) ?? reject('FUND.POT_NOT_FOUND', 'There is no such pot.');
    return { ballot: pot.ballot, accepted: await this.runtime.reader.acceptedProposals(fund, potId) };
  }
}
