import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  CorrectRefusedPaperEntryCommand,
  correctsRefusedEntry,
  EnterPaperBatchCommand,
  loadStream,
  RunBallotCommand,
  RunPaperBatchCommand,
  type BallotReceipt as AppReceipt,
  type CommandResult,
  type EnterPaperBatchResult,
  type PaperEntry,
} from '@civic/application';
import { paperBatchDecider, streams, type BallotContent, type CorrectPaperBallot, type CorrectPaperBatch } from '@civic/domain';
import type { EventStore } from '@civic/event-store';
import type { RequestContext } from '../auth/access.guard';
import { Roles } from '../auth/roles.decorator';
import { BallotContentInput, BallotReceipt } from '../ballots/ballot.types';
import { CommandGateway } from '../commands/command-gateway';
import { COMMAND_ID } from '../commands/command-id.arg';
import { ApiError } from '../errors/api-error';
import { EXPECTED_REVISION, isoTime, requireIds } from '../errors/input';
import { FundReader } from '../funds/fund.reader';
import type { Pot } from '../funds/fund.types';
import { EVENT_STORE } from '../tokens';
import { statement, type ReadModelDatabase } from '@civic/projections';
import { READ_MODELS } from '../read-models/read-models.module';
import {
  MAX_PAPER_ENTRIES,
  MAX_PICKS_PER_ENTRY,
  PaperBatch,
  PaperBatchCorrectionInput,
  PaperBatchInput,
  PaperBatchPayload,
  PaperBatchResult,
  PaperBatchSummary,
  PaperEntryInput,
  PaperEntryStanding,
} from './paper-batch.types';

/** Paper ballots, entered by hand by reviewers, under the same rules as online ones. */
@Resolver()
export class PaperBatchResolver {
  constructor(
    private readonly gateway: CommandGateway,
    private readonly funds: FundReader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelDatabase,
  ) {}

  @Roles('reviewer', 'councillor', 'administrator', 'auditor')
  @Query(() => [PaperBatchSummary], { description: 'Every paper batch of a pot, oldest first, with its reconciliation.' })
  paperBatches(@Args('potId', { type: () => ID }) potId: string): PaperBatchSummary[] {
    requireIds({ potId });
    if (!this.funds.byPot(potId)) throw new ApiError('NOT_FOUND', 'There is no such pot.');
    const rows = statement(this.readModels.db, `SELECT * FROM paper_batches WHERE pot_id = ? ORDER BY seq`).all(potId) as {
      batch_id: string;
      officer: string;
      location: string;
      collected_at: string;
      scan_reference: string;
      sheets_counted: number | null;
      entry_count: number;
      recorded: number;
      corrections: number;
    }[];
    return rows.map((r) => ({
      batchId: r.batch_id,
      officer: r.officer,
      location: r.location,
      collectedAt: new Date(r.collected_at),
      scanReference: r.scan_reference,
      sheetsCounted: r.sheets_counted ?? undefined,
      entryCount: r.entry_count,
      recorded: r.recorded,
      refused: r.entry_count - r.recorded,
      corrections: r.corrections,
    }));
  }

  @Roles('reviewer', 'councillor', 'administrator', 'auditor')
  @Query(() => PaperBatch, { nullable: true, description: 'A batch of paper ballots: where, when and by whom they were collected.' })
  paperBatch(@Args('batchId', { type: () => ID }) batchId: string): Promise<PaperBatch | undefined> {
    return this.batch(batchId);
  }

  @Roles('reviewer', 'councillor')
  @Mutation(() => PaperBatchResult, {
    nullable: true,
    description: 'Records a batch of paper ballots and each of its entries. Re-sending the same commandId records only what was missing.',
  })
  async enterPaperBatch(
    @Args('input') input: PaperBatchInput,
    @Args('commandId', { type: () => ID, nullable: true }) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<PaperBatchResult> {
    if (input.entries.length === 0 || input.entries.length > MAX_PAPER_ENTRIES)
      throw new ApiError('INPUT.INVALID', `A batch holds 1 to ${MAX_PAPER_ENTRIES} entries.`);
    const pot = this.pot(input.fundId, input.potId);
    // Without a batchId the handler names the batch from the command id, so a retry finds it.
    const { batchId } = input;
    requireIds({ batchId });
    // A malformed entry refuses the whole batch before anything is written; a well-formed one
    // that the rules refuse (not eligible, over budget…) is reported in its outcome.
    const entries = input.entries.map((e) => toEntry(pot, e));
    const batch = {
      batchId,
      fundId: input.fundId,
      potId: input.potId,
      officer: input.officer,
      location: input.location,
      collectedAt: isoTime(input.collectedAt, 'collectedAt'),
      scanReference: input.scanReference,
      ...(input.sheetsCounted == null ? {} : { sheetsCounted: input.sheetsCounted }),
    };
    const result = await this.gateway.execute<EnterPaperBatchResult>(
      new EnterPaperBatchCommand(batch, entries, await this.gateway.input(ctx.principal!, commandId)),
    );
    return {
      batchId: result.batchId,
      position: result.position,
      entries: result.entries.map((e) =>
        e.ok ? { entryNo: e.entryNo, recorded: true } : { entryNo: e.entryNo, recorded: false, code: e.code, message: e.message },
      ),
    };
  }

  @Roles('reviewer', 'councillor')
  @Mutation(() => PaperBatchPayload, {
    nullable: true,
    description: 'Corrects the header of a paper batch (officer, place, time, scan) with a reason; nothing is overwritten.',
  })
  async correctPaperBatch(
    @Args('batchId', { type: () => ID }) batchId: string,
    @Args('corrections') corrections: PaperBatchCorrectionInput,
    @Args('reason') reason: string,
    @Args(EXPECTED_REVISION) expectedRevision: number | undefined,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<PaperBatchPayload> {
    await this.found(batchId);
    const { collectedAt, ...text } = corrections;
    const payload = {
      batchId,
      corrections: { ...text, ...(collectedAt ? { collectedAt: isoTime(collectedAt, 'collectedAt') } : {}) },
      reason,
    };
    const result = await this.gateway.execute<CommandResult>(
      new RunPaperBatchCommand<CorrectPaperBatch>(
        'CorrectPaperBatch',
        payload,
        await this.gateway.input(ctx.principal!, commandId, expectedRevision),
      ),
    );
    return { batch: await this.found(batchId), position: result.position };
  }

  @Roles('reviewer', 'councillor')
  @Mutation(() => BallotReceipt, {
    nullable: true,
    description:
      'Corrects a paper ballot mistyped from its form: the entry of the batch, named by its number, gets new marks and a reason. An entry the voting rules refused gets its ballot recorded instead, once (PAPER_BATCH.NOT_REFUSED after that); if that ballot is refused too, the entry stands refused with the new reason.',
  })
  async correctPaperBallot(
    @Args('batchId', { type: () => ID }) batchId: string,
    @Args('entryNo', { type: () => Int, description: 'The entry’s number in its batch, from 1.' }) entryNo: number,
    @Args('reference', { description: 'The voter’s reference, as written on the form.' }) voter: string,
    @Args('content') content: BallotContentInput,
    @Args('reason') reason: string,
    @Args(COMMAND_ID) commandId: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<BallotReceipt> {
    const batch = await this.found(batchId);
    if (!Number.isInteger(entryNo) || entryNo < 1 || entryNo > batch.entryCount)
      throw new ApiError('INPUT.INVALID', `entryNo must be between 1 and ${batch.entryCount}, the size of the batch.`);
    const { fundId, potId } = batch;
    const payload = {
      fundId,
      potId,
      voter: { reference: reference(voter) },
      batchId,
      entryNo,
      content: toContent(this.pot(fundId, potId), content),
      reason,
    };
    const input = await this.gateway.input(ctx.principal!, commandId);
    // A refused sheet has no ballot to replace: its ballot is recorded, the batch keeping the reason.
    const refused = await correctsRefusedEntry(this.store, batchId, entryNo, input.commandId);
    const receipt = await this.gateway.execute<AppReceipt>(
      refused
        ? new CorrectRefusedPaperEntryCommand(batchId, entryNo, payload.voter.reference, payload.content, reason, input)
        : new RunBallotCommand<CorrectPaperBallot>('CorrectPaperBallot', payload, input),
    );
    const [event] =
      receipt.revision >= 0 ? await this.store.readStream(receipt.streamName, { fromRevision: receipt.revision, maxCount: 1 }) : [];
    const hash = (event?.metadata.chain as { hash?: unknown } | undefined)?.hash;
    return {
      position: receipt.position ?? event?.position,
      hash: typeof hash === 'string' ? hash : undefined,
    };
  }

  /** What became of each entry, as the read model has it (the gateway waits for it after a command). */
  private entries(batchId: string): PaperEntryStanding[] {
    const rows = statement(
      this.readModels.db,
      `SELECT entry_no, status, code, message, correction_reason FROM paper_batch_entries WHERE batch_id = ? ORDER BY entry_no`,
    ).all(batchId) as { entry_no: number; status: string; code: string | null; message: string | null; correction_reason: string | null }[];
    return rows.map((r) => ({
      entryNo: r.entry_no,
      status: r.status,
      code: r.code,
      message: r.message,
      correctionReason: r.correction_reason,
    }));
  }

  private pot(fundId: string, potId: string): Pot {
    const pot = this.funds.get(fundId)?.pots.find((p) => p.id === potId);
    if (!pot) throw new ApiError('NOT_FOUND', 'There is no such pot in this fund.');
    return pot;
  }

  private async found(batchId: string): Promise<PaperBatch> {
    const batch = await this.batch(batchId);
    if (!batch) throw new ApiError('NOT_FOUND', 'There is no such paper batch.');
    return batch;
  }

  private async batch(batchId: string): Promise<PaperBatch | undefined> {
    requireIds({ batchId });
    const name = streams.paperBatch(batchId);
    const { state, revision } = await loadStream(this.store, name, paperBatchDecider);
    if (state.status === 'none') return undefined;
    const [last] = await this.store.readStream(name, { fromRevision: revision, maxCount: 1 });
    const { fundId, potId, officer, location, collectedAt, scanReference, sheetsCounted, entryCount, corrections } = state;
    return {
      batchId,
      fundId,
      potId,
      officer,
      location,
      collectedAt: new Date(collectedAt),
      scanReference,
      sheetsCounted,
      entryCount,
      corrections,
      entries: this.entries(batchId),
      revision,
      position: last.position,
    };
  }
}

/** The voter's reference as written on a form; the domain checks its shape. */
function reference(value: string): string {
  if (value.length > 100) throw new ApiError('INPUT.INVALID', 'A reference is at most 100 characters.');
  return value;
}

/** One form: its marks by proposal id, or by the numbers printed on the form (the handler reads those). */
function toEntry(pot: Pot, e: PaperEntryInput): PaperEntry {
  const given = [e.content, e.numbers, e.numberedPoints].filter((v) => v != null).length;
  if (given !== 1) throw new ApiError('INPUT.INVALID', 'Give an entry’s marks as content, numbers or numberedPoints: one of them.');
  const ref = reference(e.reference);
  if (e.content) return { reference: ref, content: toContent(pot, e.content) };
  const marks = e.numbers ?? e.numberedPoints!;
  if (marks.length > MAX_PICKS_PER_ENTRY) throw new ApiError('INPUT.INVALID', `A ballot names at most ${MAX_PICKS_PER_ENTRY} proposals.`);
  return e.numbers
    ? { reference: ref, marks: { numbers: [...e.numbers] } }
    : { reference: ref, marks: { points: e.numberedPoints!.map((p) => ({ number: p.number, points: p.points })) } };
}

/** The marks of one form, of the kind the pot takes. */
function toContent(pot: Pot, input: BallotContentInput): BallotContent {
  const picks = (input.points ?? input.proposalIds ?? []).length;
  if (picks > MAX_PICKS_PER_ENTRY) throw new ApiError('INPUT.INVALID', `A ballot names at most ${MAX_PICKS_PER_ENTRY} proposals.`);
  if (pot.ballot.kind === 'cumulative') {
    if (!input.points || input.proposalIds) throw new ApiError('INPUT.INVALID', 'This pot takes points: send points, not proposalIds.');
    return { kind: 'cumulative', points: input.points.map((p) => ({ proposalId: p.proposalId, points: p.points })) };
  }
  if (!input.proposalIds || input.points) throw new ApiError('INPUT.INVALID', 'This pot takes a list of proposalIds.');
  return { kind: pot.ballot.kind, proposalIds: [...input.proposalIds] };
}
