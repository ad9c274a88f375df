import type { CastBallot } from '@civic/domain';
import { RunBallotCommand } from '../ballot/run-ballot-command';
import {
  createHarness,
  FUND_ID,
  knapsack,
  registerCsv,
  RESIDENT,
  SAMPLE_PROPOSALS,
  STAFF,
  TIMES,
  WARD_POT,
  type Harness,
} from '../testing/harness';
import { RunFundCommand } from './run-fund-command';

describe('extending and closing voting early', () => {
  let h: Harness;
  const cast = (reference: string) =>
    h.handlers.ballots.execute(
      new RunBallotCommand<CastBallot>(
        'CastBallot',
        { fundId: FUND_ID, potId: WARD_POT.potId, voter: { reference }, content: knapsack('benches') },
        h.input(RESIDENT),
      ),
    );
  const admin = (type: RunFundCommand['type'], payload: object) =>
    h.handlers.fund.execute(new RunFundCommand(type, { fundId: FUND_ID, ...payload } as never, h.input(STAFF.admin)));

  beforeEach(async () => {
    h = createHarness();
    await h.openVoting(registerCsv(3), SAMPLE_PROPOSALS);
  });

  it('takes ballots after the original close once voting is extended, and refuses them after the new one', async () => {
    const newClose = '2026-04-18T21:00:00.000Z';
    await admin('ExtendVoting', { votingClosesAt: newClose, reason: 'The site was down for six hours on Sunday' });
    h.clock.set('2026-04-16T12:00:00.000Z'); // after the original close, before the new one
    await expect(cast('TH000000')).resolves.toMatchObject({ alreadyHandled: false });
    h.clock.set(newClose);
    await expect(cast('TH000001')).rejects.toMatchObject({ code: 'BALLOT.VOTING_CLOSED' });
  });

  it('refuses ballots at once after an early close, and nothing reopens voting', async () => {
    await cast('TH000000');
    await admin('CloseVotingEarly', { reason: 'Ballot fraud under investigation' });
    await expect(cast('TH000001')).rejects.toMatchObject({ code: 'BALLOT.VOTING_CLOSED' });
    await expect(admin('ExtendVoting', { votingClosesAt: '2026-04-30T21:00:00.000Z', reason: 'Reopen' })).rejects.toMatchObject({
      code: 'FUND.WRONG_PHASE',
    });
    const fund = await h.runtime.reader.fund(FUND_ID);
    expect(fund).toMatchObject({ status: 'voting_closed', schedule: { votingClosesAt: TIMES.duringVoting } });
    // The allocation may be made at once: voting is over.
    h.clock.set(TIMES.afterVoting);
    expect(await h.runtime.reader.countedBallots(WARD_POT.potId)).toHaveLength(1);
  });
});
