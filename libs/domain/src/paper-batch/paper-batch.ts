import {
  eventFrom,
  isInstant,
  once,
  reject,
  remember,
  requireId,
  requireRole,
  requireText,
  STAFF,
  unreachable,
  type Command,
  type DomainEvent,
  type Instant,
} from '../common';
import type { ExistingFund } from '../fund/fund.state';

// ───────────────────────────── events ─────────────────────────────

/** Where and when paper ballots were collected, and the scan of the originals. */
export interface PaperBatchHeader {
  /** The staff id of the officer who collected the ballots. */
  readonly officer: string;
  readonly location: string;
  readonly collectedAt: Instant;
  readonly scanReference: string;
  /** How many forms the officer counted in the batch, before entering them: the reconciliation compares it with the entries (absent on batches recorded before it existed). */
  readonly sheetsCounted?: number;
}

type BatchRef = { readonly batchId: string };

export type PaperBatchRecorded = DomainEvent<
  'PaperBatchRecorded',
  BatchRef & PaperBatchHeader & { readonly fundId: string; readonly potId: string; readonly entryCount: number }
>;
/** Nothing is overwritten: a correction is a new event with its reason. */
export type PaperBatchCorrected = DomainEvent<
  'PaperBatchCorrected',
  BatchRef & { readonly corrections: Partial<PaperBatchHeader>; readonly reason: string }
>;

/** An entry of the batch that the voting rules refused (no ballot was recorded for it), with the code and plain message an online ballot would get. */
export type PaperEntryRefused = DomainEvent<
  'PaperEntryRefused',
  BatchRef & { readonly entryNo: number; readonly code: string; readonly message: string }
>;

/**
 * An officer takes a refused entry up again to record its ballot, with the reason (the form was
 * mistyped, say): the batch holds the claim, so one sheet never gives two ballots. If the ballot
 * is then refused too, a new PaperEntryRefused says why, and the entry may be taken up again.
 */
export type PaperEntryCorrected = DomainEvent<'PaperEntryCorrected', BatchRef & { readonly entryNo: number; readonly reason: string }>;

export type PaperBatchEvent = PaperBatchRecorded | PaperBatchCorrected | PaperEntryRefused | PaperEntryCorrected;

// ───────────────────────────── state ─────────────────────────────

export type PaperBatchState =
  | { readonly status: 'none'; readonly handled: readonly string[] }
  | (PaperBatchRecorded['data'] & {
      readonly status: 'recorded';
      readonly corrections: number;
      /** The entries the voting rules refused (`refused`), and those taken up again to record their ballot (`corrected`). */
      readonly refusedEntries?: Readonly<Record<number, 'refused' | 'corrected'>>;
      /** When each entry was last taken up again (an abandoned take-up may be taken over once it is old enough). */
      readonly takenUpAt?: Readonly<Record<number, Instant>>;
      readonly handled: readonly string[];
    });

export const initialPaperBatchState = (): PaperBatchState => ({ status: 'none', handled: [] });

export const evolvePaperBatch = (state: PaperBatchState, event: PaperBatchEvent): PaperBatchState => {
  const handled = remember(state.handled, event);
  switch (event.type) {
    case 'PaperBatchRecorded':
      return { ...event.data, status: 'recorded', corrections: 0, handled };
    case 'PaperBatchCorrected':
      if (state.status === 'none') throw new Error('PaperBatchCorrected before PaperBatchRecorded');
      return { ...state, ...event.data.corrections, corrections: state.corrections + 1, handled };
    case 'PaperEntryRefused':
      if (state.status === 'none') throw new Error('PaperEntryRefused before PaperBatchRecorded');
      return { ...state, refusedEntries: { ...state.refusedEntries, [event.data.entryNo]: 'refused' }, handled };
    case 'PaperEntryCorrected':
      if (state.status === 'none') throw new Error('PaperEntryCorrected before PaperBatchRecorded');
      return {
        ...state,
        refusedEntries: { ...state.refusedEntries, [event.data.entryNo]: 'corrected' },
        takenUpAt: { ...state.takenUpAt, [event.data.entryNo]: event.metadata.time },
        handled,
      };
    default:
      return unreachable(event);
  }
};

// ───────────────────────────── commands ─────────────────────────────

export type RecordPaperBatch = Command<
  'RecordPaperBatch',
  BatchRef & PaperBatchHeader & { readonly fundId: string; readonly potId: string; readonly entryCount: number }
>;
export type CorrectPaperBatch = Command<
  'CorrectPaperBatch',
  BatchRef & { readonly corrections: Partial<PaperBatchHeader>; readonly reason: string }
>;
/** Records why an entry of the batch was refused, so the reconciliation can say so later. */
export type RecordPaperEntryRefusal = Command<
  'RecordPaperEntryRefusal',
  BatchRef & { readonly entryNo: number; readonly code: string; readonly message: string }
>;
/** Takes a refused entry up again, with a reason, before its ballot is recorded: refused unless the entry stands refused now. */
export type RecordPaperEntryCorrection = Command<
  'RecordPaperEntryCorrection',
  BatchRef & {
    readonly entryNo: number;
    readonly reason: string;
    /**
     * The entry's last take-up recorded neither its ballot nor a refusal (its process died in
     * between), as the application found from the history: it may be taken up again once
     * `PAPER_TAKE_UP_EXPIRY_MS` has passed since, so a slow take-up still running is never overtaken.
     */
    readonly abandoned?: boolean;
  }
>;

/** How long a take-up of a refused sheet holds it before, if it recorded nothing, another may take it over. */
export const PAPER_TAKE_UP_EXPIRY_MS = 10 * 60_000;
export type PaperBatchCommand = RecordPaperBatch | CorrectPaperBatch | RecordPaperEntryRefusal | RecordPaperEntryCorrection;

/** The fund the batch belongs to, for its phase, pots and close of voting. */
export interface PaperBatchContext {
  readonly fund: ExistingFund;
}

// ───────────────────────────── decide ─────────────────────────────

const validateHeader = (h: Partial<PaperBatchHeader>, command: Command, fund: ExistingFund): void => {
  if (h.officer !== undefined) requireText(h.officer, 100, 'PAPER_BATCH.INVALID', 'officer');
  if (h.location !== undefined) requireText(h.location, 300, 'PAPER_BATCH.INVALID', 'location');
  if (h.scanReference !== undefined) requireText(h.scanReference, 300, 'PAPER_BATCH.INVALID', 'scan reference');
  if (h.sheetsCounted !== undefined && !(Number.isSafeInteger(h.sheetsCounted) && h.sheetsCounted >= 0 && h.sheetsCounted <= 10000))
    reject('PAPER_BATCH.INVALID', 'The sheets counted are a whole number from 0 to 10000.', { field: 'sheetsCounted' });
  const at = h.collectedAt;
  if (
    at !== undefined &&
    !(isInstant(at) && at <= command.metadata.time && at >= fund.schedule.votingOpensAt && at < fund.schedule.votingClosesAt)
  ) {
    reject('PAPER_BATCH.INVALID', 'Paper ballots must have been collected while voting was open.');
  }
};

const decidePaperBatchCommand = (command: PaperBatchCommand, state: PaperBatchState, context: PaperBatchContext): PaperBatchEvent[] => {
  requireRole(command.metadata.actor, STAFF, 'record paper ballots');
  const { fund } = context;
  switch (command.type) {
    case 'RecordPaperBatch': {
      if (state.status !== 'none') return reject('PAPER_BATCH.ALREADY_EXISTS', 'A batch with this id already exists.');
      const { batchId, fundId, potId, officer, location, collectedAt, scanReference, sheetsCounted, entryCount } = command.payload;
      requireId(batchId, 'batch id');
      if (fund.fundId !== fundId || fund.status !== 'voting_open')
        reject('BALLOT.VOTING_CLOSED', 'Paper ballots are entered only while voting is open.');
      if (!fund.pots.some((p) => p.potId === potId)) reject('FUND.POT_NOT_FOUND', 'There is no such pot.');
      if (!Number.isSafeInteger(entryCount) || entryCount < 1 || entryCount > 10000)
        reject('PAPER_BATCH.INVALID', 'A batch holds 1 to 10000 ballots.');
      const header = { officer, location, collectedAt, scanReference, ...(sheetsCounted === undefined ? {} : { sheetsCounted }) };
      validateHeader(header, command, fund);
      return [eventFrom(command, 'PaperBatchRecorded', { batchId, fundId, potId, ...header, entryCount })];
    }
    case 'CorrectPaperBatch': {
      if (state.status === 'none') return reject('PAPER_BATCH.NOT_FOUND', 'There is no such batch.');
      const { corrections, reason } = command.payload;
      const { officer, location, collectedAt, scanReference, sheetsCounted } = corrections ?? {};
      const kept = Object.fromEntries(
        Object.entries({ officer, location, collectedAt, scanReference, sheetsCounted }).filter(([, v]) => v !== undefined),
      );
      if (Object.keys(kept).length === 0) reject('PAPER_BATCH.INVALID', 'A correction must change something.');
      validateHeader(kept, command, fund);
      requireText(reason, 2000, 'PAPER_BATCH.INVALID', 'reason');
      return [eventFrom(command, 'PaperBatchCorrected', { batchId: state.batchId, corrections: kept, reason })];
    }
    case 'RecordPaperEntryRefusal': {
      if (state.status === 'none') return reject('PAPER_BATCH.NOT_FOUND', 'There is no such batch.');
      const { entryNo, code, message } = command.payload;
      if (!Number.isSafeInteger(entryNo) || entryNo < 1 || entryNo > state.entryCount)
        reject('PAPER_BATCH.INVALID', 'The entry number is outside the batch.');
      requireText(code, 100, 'PAPER_BATCH.INVALID', 'code');
      requireText(message, 1000, 'PAPER_BATCH.INVALID', 'message');
      return [eventFrom(command, 'PaperEntryRefused', { batchId: state.batchId, entryNo, code, message })];
    }
    case 'RecordPaperEntryCorrection': {
      if (state.status === 'none') return reject('PAPER_BATCH.NOT_FOUND', 'There is no such batch.');
      const { entryNo, reason } = command.payload;
      if (fund.status !== 'voting_open') reject('BALLOT.VOTING_CLOSED', 'Paper ballots are entered only while voting is open.');
      const takenUpAt = state.takenUpAt?.[entryNo];
      // Instants from the command and the event, never the wall clock.
      const expired = takenUpAt !== undefined && Date.parse(command.metadata.time) - Date.parse(takenUpAt) >= PAPER_TAKE_UP_EXPIRY_MS;
      const takeOver = state.refusedEntries?.[entryNo] === 'corrected' && command.payload.abandoned === true && expired;
      if (state.refusedEntries?.[entryNo] !== 'refused' && !takeOver)
        reject(
          'PAPER_BATCH.NOT_REFUSED',
          state.refusedEntries?.[entryNo] === 'corrected' && command.payload.abandoned === true
            ? 'This sheet was taken up moments ago and nothing is recorded from it yet: it can be taken up again ten minutes after.'
            : 'Only an entry that stands refused can be taken up again; correct a recorded one instead.',
        );
      const why = requireText(reason, 2000, 'PAPER_BATCH.INVALID', 'reason');
      return [eventFrom(command, 'PaperEntryCorrected', { batchId: state.batchId, entryNo, reason: why })];
    }
    default:
      return unreachable(command);
  }
};

export const decidePaperBatch = once(decidePaperBatchCommand);
