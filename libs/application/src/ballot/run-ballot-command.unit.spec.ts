import type { CastBallot, CorrectPaperBallot, RecordPaperBallot, ReplaceBallot, VoidBallot, WithdrawBallot } from '@civic/domain';
import { RunPaperBatchCommand } from '../paper-batch/run-paper-batch-command';
import {
  createHarness,
  FUND_ID,
  registerCsv,
  RESIDENT,
  STAFF,
  TIMES,
  WARD_POT,
  knapsack,
  SAMPLE_PROPOSALS,
  type Harness,
} from '../testing/harness';
import { RunBallotCommand, RunBallotCommandHandler, type BallotInput } from './run-ballot-command';

const ward = { fundId: FUND_ID, potId: WARD_POT.potId };

describe(RunBallotCommandHandler.name, () => {
  let h: Harness;
  const ballot = <C extends CastBallot | ReplaceBallot | WithdrawBallot | VoidBallot | RecordPaperBallot | CorrectPaperBallot>(
    type: C['type'],
    payload: BallotInput<C>,
    actor = RESIDENT,
    commandId?: string,
  ) => h.handlers.ballots.execute(new RunBallotCommand<C>(type, payload, h.input(actor, commandId)));
  const cast = (reference: string, content = knapsack('benches'), commandId?: string) =>
    ballot<CastBallot>('CastBallot', { ...ward, voter: { reference }, content }, RESIDENT, commandId);
  const headOf = async () => (await h.store.readAll({ maxCount: 100000 })).length;

  beforeEach(async () => {
    h = createHarness();
    await h.openVoting(`${registerCsv(3)}\nBOW0001,bow-east,1980-01-01\nYOUNG01,spitalfields,2015-01-01`, SAMPLE_PROPOSALS);
  });

  it('records a ballot under the per-fund pseudonym, with no trace of the resident, and gives a receipt', async () => {
    const receipt = await cast('TH000000');
    expect(receipt).toMatchObject({ alreadyHandled: false, revision: 0, streamName: `ballot-${WARD_POT.potId}-${receipt.voter}` });
    expect(receipt.position).toEqual(expect.any(String));
    const [event] = await h.store.readStream(receipt.streamName);
    expect(event.metadata).toMatchObject({ actorRole: 'resident', actorId: receipt.voter, time: TIMES.duringVoting });
    const residentId = (await h.store.readAll({ filter: { streamCategories: ['resident'] } }))[0].streamName.slice('resident-'.length);
    expect(JSON.stringify(event)).not.toMatch(/TH000000|session-user/);
    expect(JSON.stringify(event)).not.toContain(residentId);
  });

  it('maps the same resident to the same ballot however the reference is typed: one ballot per resident per pot', async () => {
    await cast('TH000000');
    const before = await headOf();
    await expect(cast(' th 000 000 ')).rejects.toMatchObject({ code: 'BALLOT.ALREADY_CAST' });
    await expect(cast('ＴＨ００００００')).rejects.toMatchObject({ code: 'BALLOT.ALREADY_CAST' });
    expect(await headOf()).toBe(before);
  });

  it('has the effect of a retried cast once', async () => {
    const first = await cast('TH000000', knapsack('benches'), 'retry-me');
    const again = await cast('TH000000', knapsack('benches'), 'retry-me');
    expect(again).toMatchObject({ alreadyHandled: true, voter: first.voter });
    expect(await h.store.readStream(first.streamName)).toHaveLength(1);
  });

  it('counts the latest ballot after a replacement, and none after a withdrawal', async () => {
    await cast('TH000000');
    await ballot<ReplaceBallot>('ReplaceBallot', { ...ward, voter: { reference: 'TH000000' }, content: knapsack('trees', 'lights') });
    expect((await h.runtime.reader.countedBallots(WARD_POT.potId)).map((b) => b.content)).toEqual([knapsack('trees', 'lights')]);
    await ballot<WithdrawBallot>('WithdrawBallot', { ...ward, voter: { reference: 'TH000000' } });
    expect(await h.runtime.reader.countedBallots(WARD_POT.potId)).toEqual([]);
  });

  it.each([
    ['a resident of another ward', 'BOW0001', knapsack('benches'), 'BALLOT.NOT_ELIGIBLE'],
    ['a resident under the minimum age', 'YOUNG01', knapsack('benches'), 'BALLOT.NOT_ELIGIBLE'],
    ['a reference not on the register', 'ZZ99999', knapsack('benches'), 'BALLOT.NOT_ELIGIBLE'],
    ['a reference that cannot be one', '!', knapsack('benches'), 'RESIDENT.INVALID_REFERENCE'],
    ['a knapsack over the budget', 'TH000001', knapsack('benches', 'trees', 'lights'), 'BALLOT.OVER_BUDGET'],
    ['a proposal of another pot', 'TH000001', knapsack('library'), 'PROPOSAL.NOT_ACCEPTED'],
  ])('refuses %s and writes nothing', async (_, reference, content, code) => {
    const before = await headOf();
    await expect(cast(reference, content)).rejects.toMatchObject({ code });
    expect(await headOf()).toBe(before);
  });

  it('refuses ballots once voting is closed', async () => {
    h.clock.set(TIMES.votingCloses);
    await h.fund('CloseVoting');
    await expect(cast('TH000000')).rejects.toMatchObject({ code: 'BALLOT.VOTING_CLOSED' });
  });

  it('lets a reviewer void a ballot by its pseudonym, with a reason', async () => {
    const { voter } = await cast('TH000000');
    await ballot<VoidBallot>('VoidBallot', { ...ward, voter: { pseudonym: voter }, reason: 'Registered twice' }, STAFF.reviewer);
    expect(await h.runtime.reader.countedBallots(WARD_POT.potId)).toEqual([]);
  });

  it('records paper ballots of a batch, marked as paper, and corrects an entry by a new event', async () => {
    const batch = {
      batchId: 'batch-1',
      ...ward,
      officer: 'officer-9',
      location: 'Idea Store',
      collectedAt: TIMES.votingOpens,
      scanReference: 'scan-1',
      entryCount: 2,
    };
    await h.handlers.paperBatches.execute(new RunPaperBatchCommand('RecordPaperBatch', batch, h.input(STAFF.reviewer)));
    const entry = { ...ward, voter: { reference: 'TH000002' }, batchId: 'batch-1', entryNo: 1 };
    const receipt = await ballot<RecordPaperBallot>('RecordPaperBallot', { ...entry, content: knapsack('lights') }, STAFF.reviewer);
    await expect(
      ballot<RecordPaperBallot>('RecordPaperBallot', { ...entry, entryNo: 2, content: knapsack('lights') }, STAFF.reviewer),
    ).rejects.toMatchObject({ code: 'BALLOT.ALREADY_CAST' });
    await ballot<CorrectPaperBallot>('CorrectPaperBallot', { ...entry, content: knapsack('trees'), reason: 'Mistyped' }, STAFF.reviewer);
    const events = await h.store.readStream(receipt.streamName);
    expect(events.map((e) => [e.type, (e.data as { source: unknown }).source])).toEqual([
      ['BallotCast', { channel: 'paper', batchId: 'batch-1', entryNo: 1 }],
      ['BallotReplaced', { channel: 'paper', batchId: 'batch-1', entryNo: 1 }],
    ]);
    expect(events[0].metadata).toMatchObject({ actorRole: 'reviewer', actorId: 'staff-reviewer' });
  });
});
