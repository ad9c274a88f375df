import { paperBatchDecider } from '../deciders';
import type { Phase } from '../fund/fund.events';
import { deciderSpec } from '../testing/decider-spec';
import { actors, command, FUND_ID, fundAt, past, T, wardPot } from '../testing/fixtures';
import type {
  CorrectPaperBatch,
  PaperBatchEvent,
  RecordPaperBatch,
  RecordPaperEntryCorrection,
  RecordPaperEntryRefusal,
} from './paper-batch';

const spec = deciderSpec(paperBatchDecider);
const header = {
  officer: 'officer-9',
  location: 'Idea Store Whitechapel',
  collectedAt: T.duringVoting,
  scanReference: 'scan://2026/04/07/001',
};
const batch = { batchId: 'batch-1', fundId: FUND_ID, potId: wardPot.potId, ...header, entryCount: 20 };
const during = (phase: Phase = 'voting_open') => ({ fund: fundAt(phase) });
const record = (changes: Partial<RecordPaperBatch['payload']> = {}, actor = actors.reviewer) =>
  command<RecordPaperBatch>('RecordPaperBatch', { ...batch, ...changes }, actor, T.duringVoting);
const correct = (corrections: CorrectPaperBatch['payload']['corrections'], reason = 'Wrong library on the form') =>
  command<CorrectPaperBatch>('CorrectPaperBatch', { batchId: 'batch-1', corrections, reason }, actors.reviewer, T.duringVoting);
const recorded = past<PaperBatchEvent>('PaperBatchRecorded', batch, T.duringVoting);

describe('paper batch', () => {
  describe('RecordPaperBatch', () => {
    it('records the officer, place, time and scan of a batch', () =>
      spec().when(record(), during()).then({ type: 'PaperBatchRecorded', data: batch }));
    it('is for reviewers', () => spec().when(record({}, actors.resident()), during()).thenRejects('AUTH.FORBIDDEN'));
    it('refuses an id already used', () => spec([recorded]).when(record(), during()).thenRejects('PAPER_BATCH.ALREADY_EXISTS'));
    it('refuses outside voting', () => spec().when(record(), during('voting_closed')).thenRejects('BALLOT.VOTING_CLOSED'));
    it('refuses an unknown pot', () =>
      spec()
        .when(record({ potId: 'pot-x' }), during())
        .thenRejects('FUND.POT_NOT_FOUND'));
    it('records how many sheets the officer counted', () =>
      spec()
        .when(record({ sheetsCounted: 21 }), during())
        .then({ type: 'PaperBatchRecorded', data: { ...batch, sheetsCounted: 21 } }));
    it.each([
      ['a negative count of sheets', { sheetsCounted: -1 }],
      ['a count of sheets that is not whole', { sheetsCounted: 2.5 }],
      ['no scan reference', { scanReference: '' }],
      ['no ballots', { entryCount: 0 }],
      ['a collection time before voting opened', { collectedAt: T.review }],
      ['a collection time in the future', { collectedAt: '2026-04-10T12:00:00Z' }],
    ])('refuses %s', (_, change) => spec().when(record(change), during()).thenRejects('PAPER_BATCH.INVALID'));
  });

  describe('CorrectPaperBatch', () => {
    it('corrects the header by a new event with its reason', () =>
      spec([recorded])
        .when(correct({ location: 'Idea Store Bow' }), during())
        .then({
          type: 'PaperBatchCorrected',
          data: { batchId: 'batch-1', corrections: { location: 'Idea Store Bow' }, reason: 'Wrong library on the form' },
        }));
    it('evolves to the corrected header, counting corrections', () =>
      expect(
        [
          recorded,
          past<PaperBatchEvent>('PaperBatchCorrected', { batchId: 'batch-1', corrections: { location: 'Bow' }, reason: 'x' }),
        ].reduce(paperBatchDecider.evolve, paperBatchDecider.initialState()),
      ).toMatchObject({ location: 'Bow', officer: 'officer-9', corrections: 1 }));
    it('refuses an unknown batch', () =>
      spec()
        .when(correct({ location: 'x' }), during())
        .thenRejects('PAPER_BATCH.NOT_FOUND'));
    it('refuses a correction without a reason', () =>
      spec([recorded])
        .when(correct({ location: 'x' }, ''), during())
        .thenRejects('PAPER_BATCH.INVALID'));
    it('refuses a correction that changes nothing', () => spec([recorded]).when(correct({}), during()).thenRejects('PAPER_BATCH.INVALID'));
  });

  describe('RecordPaperEntryRefusal', () => {
    const refuse = (entryNo: number, code = 'BALLOT.UNKNOWN_NUMBER') =>
      command<RecordPaperEntryRefusal>(
        'RecordPaperEntryRefusal',
        { batchId: 'batch-1', entryNo, code, message: 'No accepted proposal of this pot has number 99.' },
        actors.reviewer,
        T.duringVoting,
      );
    it('records why an entry was refused, without the voter', () =>
      spec([recorded])
        .when(refuse(3), during())
        .then({
          type: 'PaperEntryRefused',
          data: {
            batchId: 'batch-1',
            entryNo: 3,
            code: 'BALLOT.UNKNOWN_NUMBER',
            message: 'No accepted proposal of this pot has number 99.',
          },
        }));
    it('refuses an entry outside the batch', () => spec([recorded]).when(refuse(21), during()).thenRejects('PAPER_BATCH.INVALID'));
    it('refuses an unknown batch', () => spec().when(refuse(1), during()).thenRejects('PAPER_BATCH.NOT_FOUND'));
    it('refuses a refusal without its code', () => spec([recorded]).when(refuse(1, ''), during()).thenRejects('PAPER_BATCH.INVALID'));
  });

  describe('RecordPaperEntryCorrection', () => {
    const refused = (entryNo: number) =>
      past<PaperBatchEvent>('PaperEntryRefused', {
        batchId: 'batch-1',
        entryNo,
        code: 'BALLOT.UNKNOWN_NUMBER',
        message: 'No such number.',
      });
    const takenUp = (entryNo: number) =>
      past<PaperBatchEvent>('PaperEntryCorrected', { batchId: 'batch-1', entryNo, reason: 'Typed 31 for 13' });
    const takeUp = (entryNo: number, reason = 'Typed 31 for 13') =>
      command<RecordPaperEntryCorrection>(
        'RecordPaperEntryCorrection',
        { batchId: 'batch-1', entryNo, reason },
        actors.reviewer,
        T.duringVoting,
      );
    it('takes a refused entry up again with its reason', () =>
      spec([recorded, refused(4)])
        .when(takeUp(4), during())
        .then({ type: 'PaperEntryCorrected', data: { batchId: 'batch-1', entryNo: 4, reason: 'Typed 31 for 13' } }));
    it('refuses an entry that was not refused, or was taken up already: one sheet gives one ballot', () => {
      spec([recorded, refused(4)])
        .when(takeUp(5), during())
        .thenRejects('PAPER_BATCH.NOT_REFUSED');
      spec([recorded, refused(4), takenUp(4)])
        .when(takeUp(4), during())
        .thenRejects('PAPER_BATCH.NOT_REFUSED');
    });
    it('takes it up again once its ballot was refused too', () =>
      spec([recorded, refused(4), takenUp(4), refused(4)])
        .when(takeUp(4, 'The reference was misread'), during())
        .then({ type: 'PaperEntryCorrected', data: { batchId: 'batch-1', entryNo: 4, reason: 'The reference was misread' } }));
    it('refuses a correction without a reason, outside voting, or by a resident', () => {
      spec([recorded, refused(4)])
        .when(takeUp(4, ' '), during())
        .thenRejects('PAPER_BATCH.INVALID');
      spec([recorded, refused(4)])
        .when(takeUp(4), during('voting_closed'))
        .thenRejects('BALLOT.VOTING_CLOSED');
      spec([recorded, refused(4)])
        .when(
          command<RecordPaperEntryCorrection>(
            'RecordPaperEntryCorrection',
            { batchId: 'batch-1', entryNo: 4, reason: 'x' },
            actors.resident(),
            T.duringVoting,
          ),
          during(),
        )
        .thenRejects('AUTH.FORBIDDEN');
    });
    it('refuses an unknown batch', () => spec().when(takeUp(1), during()).thenRejects('PAPER_BATCH.NOT_FOUND'));
  });
});
