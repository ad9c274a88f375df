import type { RecordPaperEntryCorrection } from '@civic/domain';
import { causedBy } from '../command-handling/command-input';
import { childCommandId } from '../ports/event-ids';
import {
  countedSources,
  createHarness,
  FUND_ID,
  knapsack,
  registerCsv,
  SAMPLE_PROPOSALS,
  STAFF,
  WARD_POT,
  type Harness,
} from '../testing/harness';
import { CorrectRefusedPaperEntryCommand, CorrectRefusedPaperEntryHandler, correctsRefusedEntry } from './correct-refused-entry';
import { EnterPaperBatchCommand } from './enter-paper-batch';
import { RunPaperBatchCommand } from './run-paper-batch-command';

describe(CorrectRefusedPaperEntryHandler.name, () => {
  let h: Harness;
  const header = {
    batchId: 'batch-9',
    fundId: FUND_ID,
    potId: WARD_POT.potId,
    officer: 'officer-9',
    location: 'Idea Store Whitechapel',
    collectedAt: '',
    scanReference: 'scan-9',
  };
  // Entry 2 refused (its marks cost more than the pot), entry 3 refused (a reference not on the register).
  const entries = [
    { reference: 'TH000000', content: knapsack('benches') },
    { reference: 'TH000001', content: knapsack('benches', 'trees', 'lights') },
    { reference: 'ZZ000001', content: knapsack('lights') },
  ];
  const correct = (entryNo: number, reference: string, content = knapsack('trees'), commandId?: string) =>
    h.handlers.correctRefusedPaperEntry.execute(
      new CorrectRefusedPaperEntryCommand(
        'batch-9',
        entryNo,
        reference,
        content,
        'Typed from the form again',
        h.input(STAFF.reviewer, commandId),
      ),
    );
  // Where each counted ballot came from (folded apart), once the reader counts as many.
  const counted = async () => {
    const sources = await countedSources(h.store, WARD_POT.potId);
    expect(await h.runtime.reader.countedBallots(WARD_POT.potId)).toHaveLength(sources.length);
    return sources;
  };
  const batchEvents = async () => (await h.store.readStream('paperbatch-batch-9')).map((e) => [e.type, e.data]);

  beforeEach(async () => {
    h = createHarness();
    await h.openVoting(registerCsv(3), SAMPLE_PROPOSALS);
    const { votingOpensAt } = (await h.runtime.reader.fund(FUND_ID)).schedule;
    await h.handlers.enterPaperBatch.execute(
      new EnterPaperBatchCommand({ ...header, collectedAt: votingOpensAt }, entries, h.input(STAFF.reviewer, 'enter-9')),
    );
  });

  it('records the ballot of a refused sheet once corrected, with the reason on the batch and the entry counted once', async () => {
    await correct(2, 'TH000001');
    const entryNos = (await counted()).map((s) => ('entryNo' in s ? s.entryNo : undefined));
    expect(entryNos.sort()).toEqual([1, 2]);
    expect((await batchEvents()).at(-1)).toEqual([
      'PaperEntryCorrected',
      { batchId: 'batch-9', entryNo: 2, reason: 'Typed from the form again' },
    ]);
    expect(JSON.stringify(await batchEvents())).not.toContain('TH000001');
    // The same sheet again, or a sheet that was recorded: refused, nothing more written.
    await expect(correct(2, 'TH000002')).rejects.toMatchObject({ code: 'PAPER_BATCH.NOT_REFUSED' });
    await expect(correct(1, 'TH000002')).rejects.toMatchObject({ code: 'PAPER_BATCH.NOT_REFUSED' });
    expect(await counted()).toHaveLength(2);
  });

  it('writes nothing twice when the same correction is sent again', async () => {
    const first = await correct(3, 'TH000002', knapsack('trees'), 'fix-3');
    const before = (await h.store.readAll()).length;
    const again = await correct(3, 'TH000002', knapsack('trees'), 'fix-3');
    expect(again.position).toBe(first.position);
    expect((await h.store.readAll()).length).toBe(before);
    // Which correction a command is: this one's retry still is the refused sheet's; another is a recorded ballot's.
    expect(await correctsRefusedEntry(h.store, 'batch-9', 3, 'fix-3')).toBe(true);
    expect(await correctsRefusedEntry(h.store, 'batch-9', 3, 'fix-other')).toBe(false);
    expect(await correctsRefusedEntry(h.store, 'batch-9', 2, 'fix-other')).toBe(true);
  });

  it('keeps why a correction was refused too, and lets the sheet be corrected again by a new command only', async () => {
    // TH000000 voted from sheet 1: the corrected sheet 3 cannot be theirs as well.
    const refusal = await correct(3, 'TH000000', knapsack('trees'), 'fix-a').catch((e: unknown) => e);
    // The refusal names where the record of it is, for the API to answer once its read models have it.
    expect(refusal).toMatchObject({ code: 'BALLOT.ALREADY_CAST', position: await h.store.headPosition() });
    expect((await batchEvents()).slice(-2).map(([type]) => type)).toEqual(['PaperEntryCorrected', 'PaperEntryRefused']);
    expect((await batchEvents()).at(-1)).toEqual([
      'PaperEntryRefused',
      { batchId: 'batch-9', entryNo: 3, code: 'BALLOT.ALREADY_CAST', message: expect.any(String) },
    ]);
    // The same command again (a resent form) takes nothing up; a new one does.
    await expect(correct(3, 'TH000002', knapsack('trees'), 'fix-a')).rejects.toMatchObject({ code: 'PAPER_BATCH.NOT_REFUSED' });
    await correct(3, 'TH000002', knapsack('trees'), 'fix-b');
    expect(await counted()).toHaveLength(2);
  });

  /** What a correction's process wrote before it died: the take-up of the sheet, and nothing after. */
  const dieAfterTakeUp = (entryNo: number, commandId: string) =>
    h.handlers.paperBatches.execute(
      new RunPaperBatchCommand<RecordPaperEntryCorrection>(
        'RecordPaperEntryCorrection',
        { batchId: 'batch-9', entryNo, reason: 'Typed from the form again' },
        causedBy(h.input(STAFF.reviewer, commandId), childCommandId(commandId, 'take-up')),
      ),
    );

  it('lets another officer take over a sheet whose take-up recorded nothing (its process died), once ten minutes have passed', async () => {
    h.clock.set('2026-04-07T12:00:00.000Z');
    await dieAfterTakeUp(2, 'fix-died');
    // Moments later the sheet is still held: a take-up that is slow, not dead, is never overtaken.
    h.clock.set('2026-04-07T12:09:59.000Z');
    await expect(correct(2, 'TH000001')).rejects.toMatchObject({
      code: 'PAPER_BATCH.NOT_REFUSED',
      message: expect.stringMatching(/ten minutes/),
    });
    expect(await counted()).toHaveLength(1);
    expect(await correctsRefusedEntry(h.store, 'batch-9', 2, 'fix-other')).toBe(true);
    // Ten minutes after: taken over, its ballot recorded once; the sheet is then corrected for good.
    h.clock.set('2026-04-07T12:10:00.000Z');
    await correct(2, 'TH000001', knapsack('trees'), 'fix-takeover');
    expect((await counted()).filter((s) => 'entryNo' in s && s.entryNo === 2)).toHaveLength(1);
    expect((await batchEvents()).slice(-2).map(([type]) => type)).toEqual(['PaperEntryCorrected', 'PaperEntryCorrected']);
    h.clock.set('2026-04-07T13:00:00.000Z');
    await expect(correct(2, 'TH000002')).rejects.toMatchObject({ code: 'PAPER_BATCH.NOT_REFUSED' });
    expect(await correctsRefusedEntry(h.store, 'batch-9', 2, 'fix-later')).toBe(false);
    expect(await counted()).toHaveLength(2);
  });

  it('finishes a correction whose process died after the take-up when the same command is sent again, at once', async () => {
    h.clock.set('2026-04-07T12:00:00.000Z');
    await dieAfterTakeUp(3, 'fix-resent');
    await correct(3, 'TH000002', knapsack('trees'), 'fix-resent');
    expect((await counted()).filter((s) => 'entryNo' in s && s.entryNo === 3)).toHaveLength(1);
    expect((await batchEvents()).filter(([type]) => type === 'PaperEntryCorrected')).toHaveLength(1);
  });

  it('records one ballot when two officers correct the same sheet at once', async () => {
    const results = await Promise.allSettled([correct(2, 'TH000001'), correct(2, 'TH000002')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'PAPER_BATCH.NOT_REFUSED' } });
    expect((await counted()).filter((s) => 'entryNo' in s && s.entryNo === 2)).toHaveLength(1);
  });
});
