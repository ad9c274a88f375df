import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  DomainError,
  isDomainError,
  paperBatchDecider,
  reject,
  streams,
  type PaperBatchEvent,
  type BallotContent,
  type RecordPaperBallot,
  type RecordPaperEntryCorrection,
  type RecordPaperEntryRefusal,
} from '@civic/domain';
import type { EventStore, RecordedEvent } from '@civic/event-store';
import { RunBallotCommand, RunBallotCommandHandler, type BallotReceipt } from '../ballot/run-ballot-command';
import { causedBy, type CommandInput } from '../command-handling/command-input';
import { CommandRuntime } from '../command-handling/command-runtime';
import { toDomainEvent } from '../command-handling/stored-events';
import { childCommandId } from '../ports/event-ids';
import { readCategories } from '../reading/read-category';
import { RunPaperBatchCommandHandler, RunPaperBatchCommand } from './run-paper-batch-command';

const TAKE_UP = 'take-up';

/** A refusal that was kept on record before it was answered: `position` is the record's, for a caller to wait for its read models. */
export class RecordedRefusal extends DomainError {
  constructor(
    refusal: DomainError,
    readonly position: string | undefined,
  ) {
    super(refusal.code, refusal.message, refusal.details);
    this.name = 'DomainError';
  }
}

/**
 * Whether a correction of this entry is a refused sheet's (this handler's) rather than a recorded
 * ballot's: the entry stands refused now, or this very command took it up (a retry, which answers
 * as the first call did).
 */
export async function correctsRefusedEntry(store: EventStore, batchId: string, entryNo: number, commandId: string): Promise<boolean> {
  const events = await store.readStream(streams.paperBatch(batchId));
  const state = events.reduce((s, e) => paperBatchDecider.evolve(s, toDomainEvent<PaperBatchEvent>(e)), paperBatchDecider.initialState());
  if (state.status === 'recorded' && state.refusedEntries?.[entryNo] === 'refused') return true;
  const takeUp = childCommandId(commandId, TAKE_UP);
  return events.some((e) => e.type === 'PaperEntryCorrected' && e.metadata.commandId === takeUp) || abandonedTakeUp(store, events, entryNo);
}

/**
 * Whether the entry's last take-up recorded nothing: no refusal after it on the batch, and no
 * ballot caused by the same correction (its ballot's command derives from it, so shares its
 * cause) anywhere after it. The process that took it up died in between: the sheet is stuck
 * until someone takes it over (the domain lets them once the take-up has expired).
 */
export async function abandonedTakeUp(store: EventStore, batchEvents: readonly RecordedEvent[], entryNo: number): Promise<boolean> {
  const last = batchEvents.findLast(
    (e) => (e.type === 'PaperEntryCorrected' || e.type === 'PaperEntryRefused') && (e.data as { entryNo?: number }).entryNo === entryNo,
  );
  if (last?.type !== 'PaperEntryCorrected') return false;
  const correction = last.metadata.causationId;
  // A take-up that went on records its ballot moments after: found in the first page read.
  for await (const event of readCategories(store, ['ballot'], ['BallotCast', 'BallotReplaced'], last.position))
    if (event.metadata.causationId === correction) return false;
  return true;
}

/**
 * An officer corrects a sheet of a batch that the voting rules refused (a mistyped reference or
 * number, say): the voter's reference and marks as the form has them, and the reason.
 */
export class CorrectRefusedPaperEntryCommand {
  constructor(
    readonly batchId: string,
    readonly entryNo: number,
    readonly reference: string,
    readonly content: BallotContent,
    readonly reason: string,
    readonly input: CommandInput,
  ) {}
}

/**
 * Takes the refused entry up on its batch first (`PaperEntryCorrected`, with the reason), so two
 * officers correcting the same sheet never record two ballots from it (a take-up whose process
 * died before recording anything is taken over ten minutes after it); then records the sheet's
 * ballot under the rules of any paper ballot. If the ballot is refused too, the batch records
 * why (a new `PaperEntryRefused`) and the entry stands refused again, to be corrected anew; the
 * refusal is the answer. A retry of the same command writes nothing twice.
 */
@CommandHandler(CorrectRefusedPaperEntryCommand)
export class CorrectRefusedPaperEntryHandler implements ICommandHandler<CorrectRefusedPaperEntryCommand, BallotReceipt> {
  constructor(
    private readonly batches: RunPaperBatchCommandHandler,
    private readonly ballots: RunBallotCommandHandler,
    private readonly runtime: CommandRuntime,
  ) {}

  async execute({ batchId, entryNo, reference, content, reason, input }: CorrectRefusedPaperEntryCommand): Promise<BallotReceipt> {
    const step = (part: string) => causedBy(input, childCommandId(input.commandId, part));
    const batchEvents = await this.runtime.store.readStream(streams.paperBatch(batchId));
    const abandoned = await abandonedTakeUp(this.runtime.store, batchEvents, entryNo);
    const takenUp = await this.batches.execute(
      new RunPaperBatchCommand<RecordPaperEntryCorrection>(
        'RecordPaperEntryCorrection',
        { batchId, entryNo, reason, ...(abandoned ? { abandoned } : {}) },
        step(TAKE_UP),
      ),
    );
    // A retry of a correction whose ballot was refused takes nothing up again (the entry may be
    // another officer's by now): the refusal written after this take-up says so, and a new command is needed.
    const since = await this.runtime.store.readStream(streams.paperBatch(batchId), { fromRevision: takenUp.revision + 1 });
    if (since.some((e) => e.type === 'PaperEntryRefused' && (e.data as { entryNo?: number }).entryNo === entryNo))
      reject('PAPER_BATCH.NOT_REFUSED', 'This correction was refused before: send it again as a new command.');
    const batch = await this.runtime.reader.paperBatch(batchId);
    if (batch.status === 'none') return reject('PAPER_BATCH.NOT_FOUND', 'There is no such batch.');
    const payload = { fundId: batch.fundId, potId: batch.potId, voter: { reference }, batchId, entryNo, content };
    try {
      return await this.ballots.execute(new RunBallotCommand<RecordPaperBallot>('RecordPaperBallot', payload, step('ballot')));
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const kept = await this.batches.execute(
        new RunPaperBatchCommand<RecordPaperEntryRefusal>(
          'RecordPaperEntryRefusal',
          { batchId, entryNo, code: error.code, message: error.message },
          step('refusal'),
        ),
      );
      throw new RecordedRefusal(error, kept.position);
    }
  }
}
