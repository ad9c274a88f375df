import {
  countedSources,
  createHarness,
  FUND_ID,
  knapsack,
  registerCsv,
  SAMPLE_PROPOSALS,
  STAFF,
  TIMES,
  WARD_POT,
  type Harness,
} from '../testing/harness';
import { EnterPaperBatchCommand, EnterPaperBatchHandler } from './enter-paper-batch';
import { RunPaperBatchCommand } from './run-paper-batch-command';

describe(EnterPaperBatchHandler.name, () => {
  let h: Harness;
  const header = {
    batchId: 'batch-7',
    fundId: FUND_ID,
    potId: WARD_POT.potId,
    officer: 'officer-9',
    location: 'Idea Store Whitechapel',
    collectedAt: TIMES.votingOpens,
    scanReference: 'scan-7',
  };
  const entries = [
    { reference: 'TH000000', content: knapsack('benches') },
    { reference: 'TH000001', content: knapsack('benches', 'trees', 'lights') },
    { reference: 'ZZ000001', content: knapsack('lights') },
    { reference: 'th 000 000', content: knapsack('trees') },
    { reference: 'TH000002', content: knapsack('trees', 'lights') },
  ];
  const enter = (commandId = 'enter-1') =>
    h.handlers.enterPaperBatch.execute(new EnterPaperBatchCommand(header, entries, h.input(STAFF.reviewer, commandId)));

  beforeEach(async () => {
    h = createHarness();
    await h.openVoting(registerCsv(3), SAMPLE_PROPOSALS);
  });

  it('records the batch and each entry under the rules of an online ballot', async () => {
    const result = await enter();
    expect(result.entries).toEqual([
      { entryNo: 1, ok: true },
      { entryNo: 2, ok: false, code: 'BALLOT.OVER_BUDGET', message: expect.any(String) },
      { entryNo: 3, ok: false, code: 'BALLOT.NOT_ELIGIBLE', message: expect.any(String) },
      { entryNo: 4, ok: false, code: 'BALLOT.ALREADY_CAST', message: expect.any(String) },
      { entryNo: 5, ok: true },
    ]);
    expect(result.position).toBe(await h.store.headPosition());
    const [batch] = await h.store.readStream('paperbatch-batch-7');
    expect(batch.data).toMatchObject({ officer: 'officer-9', location: 'Idea Store Whitechapel', scanReference: 'scan-7', entryCount: 5 });
    expect(await h.runtime.reader.countedBallots(WARD_POT.potId)).toHaveLength(2);
    expect(await countedSources(h.store, WARD_POT.potId)).toEqual([
      expect.objectContaining({ channel: 'paper', batchId: 'batch-7' }),
      expect.objectContaining({ channel: 'paper', batchId: 'batch-7' }),
    ]);
  });

  it('keeps why each refused entry was refused on the batch, with its code and without the voter', async () => {
    await enter();
    const refusals = (await h.store.readStream('paperbatch-batch-7')).filter((e) => e.type === 'PaperEntryRefused');
    expect(refusals.map((e) => e.data)).toEqual([
      { batchId: 'batch-7', entryNo: 2, code: 'BALLOT.OVER_BUDGET', message: expect.any(String) },
      { batchId: 'batch-7', entryNo: 3, code: 'BALLOT.NOT_ELIGIBLE', message: expect.any(String) },
      { batchId: 'batch-7', entryNo: 4, code: 'BALLOT.ALREADY_CAST', message: expect.any(String) },
    ]);
    expect(JSON.stringify(refusals)).not.toMatch(/TH0000|ZZ0000/);
  });

  it('reads a form by the proposal numbers printed on it, and refuses the entry (not the batch) for a number no proposal has', async () => {
    const accepted = await h.runtime.reader.acceptedProposals(await h.runtime.reader.fund(FUND_ID), WARD_POT.potId);
    const benches = accepted.find((a) => a.proposalId === 'benches')!.number!;
    const byNumber = [
      { reference: 'TH000000', marks: { numbers: [benches] } },
      { reference: 'TH000001', marks: { numbers: [99] } },
    ];
    const result = await h.handlers.enterPaperBatch.execute(
      new EnterPaperBatchCommand({ ...header, sheetsCounted: 3 }, byNumber, h.input(STAFF.reviewer, 'by-number')),
    );
    expect(result.entries).toEqual([
      { entryNo: 1, ok: true },
      { entryNo: 2, ok: false, code: 'BALLOT.UNKNOWN_NUMBER', message: 'No accepted proposal of this pot has number 99.' },
    ]);
    expect((await h.runtime.reader.countedBallots(WARD_POT.potId)).map((b) => b.content)).toEqual([knapsack('benches')]);
    expect(await h.runtime.reader.paperBatch('batch-7')).toMatchObject({ sheetsCounted: 3, entryCount: 2 });
  });

  it('records nothing twice when the same batch is sent again, and answers as the first time', async () => {
    const first = await enter();
    const before = (await h.store.readAll()).length;
    const again = await enter();
    expect(again.batch.alreadyHandled).toBe(true);
    expect(again).toEqual({ ...first, batch: expect.objectContaining({ alreadyHandled: true, position: first.batch.position }) });
    expect((await h.store.readAll()).length).toBe(before);
  });

  it('names a batch sent without an id from the command id, so that a retry finds it and records nothing twice', async () => {
    const { batchId: _, ...unnamed } = header;
    const send = (commandId: string) =>
      h.handlers.enterPaperBatch.execute(new EnterPaperBatchCommand(unnamed, entries, h.input(STAFF.reviewer, commandId)));
    const first = await send('enter-unnamed');
    const before = (await h.store.readAll()).length;
    const again = await send('enter-unnamed');
    expect(again.batchId).toBe(first.batchId);
    expect(again.entries).toEqual(first.entries);
    expect(again.position).toBe(first.position);
    expect((await h.store.readAll()).length).toBe(before);
    expect((await h.store.readAll()).filter((e) => e.type === 'PaperBatchRecorded')).toHaveLength(1);
    expect((await send('enter-other')).batchId).not.toBe(first.batchId);
  });

  it('corrects the batch only by a new event', async () => {
    await enter();
    await h.handlers.paperBatches.execute(
      new RunPaperBatchCommand(
        'CorrectPaperBatch',
        { batchId: 'batch-7', corrections: { location: 'Idea Store Bow' }, reason: 'Wrong branch' },
        h.input(STAFF.reviewer),
      ),
    );
    const events = await h.store.readStream('paperbatch-batch-7');
    expect(events.map((e) => e.type).filter((t) => t !== 'PaperEntryRefused')).toEqual(['PaperBatchRecorded', 'PaperBatchCorrected']);
    expect(await h.runtime.reader.paperBatch('batch-7')).toMatchObject({ location: 'Idea Store Bow', corrections: 1 });
  });

  it('refuses to correct an unknown batch', () =>
    expect(
      h.handlers.paperBatches.execute(
        new RunPaperBatchCommand(
          'CorrectPaperBatch',
          { batchId: 'nope', corrections: { location: 'x' }, reason: 'r' },
          h.input(STAFF.reviewer),
        ),
      ),
    ).rejects.toMatchObject({ code: 'PAPER_BATCH.NOT_FOUND' }));
});
