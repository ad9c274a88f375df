import { deliveryDecider, streams, type ReportMilestone, type ReportSpend } from '@civic/domain';
import { loadStream } from '../command-handling/load-stream';
import { createHarness, FUND_ID, registerCsv, SAMPLE_PROPOSALS, STAFF, type Harness } from '../testing/harness';
import { RunDeliveryCommand, RunDeliveryCommandHandler } from './run-delivery-command';

describe(RunDeliveryCommandHandler.name, () => {
  let h: Harness;
  const spend = (proposalId: string) =>
    h.handlers.delivery.execute(
      new RunDeliveryCommand<ReportSpend>(
        'ReportSpend',
        { fundId: FUND_ID, proposalId, spendId: 's1', amount: 100, description: 'Deposit', spentOn: '2026-04-01' },
        h.input(STAFF.admin),
      ),
    );

  const deliveryOf = async (proposalId: string) => (await loadStream(h.store, streams.delivery(proposalId), deliveryDecider)).state;

  beforeEach(async () => {
    h = createHarness();
    await h.openVoting(registerCsv(1), SAMPLE_PROPOSALS);
  });

  it('refuses delivery reports before the delivery phase', () =>
    expect(spend('benches')).rejects.toMatchObject({ code: 'DELIVERY.WRONG_PHASE' }));

  describe('in the delivery phase', () => {
    beforeEach(() => h.toDelivery());
    it('records spend of a funded proposal', async () => {
      // No ballots were cast: greedy by votes still funds what fits, so the library is funded.
      expect(await h.runtime.reader.allocation('pot-borough')).toMatchObject({
        status: 'published',
        lines: [expect.objectContaining({ proposalId: 'library', funded: true })],
      });
      await expect(spend('library')).resolves.toMatchObject({ alreadyHandled: false });
    });
    it('names a spend or a milestone sent without an id from the command id: a retry is recognised, a new command is a new entry', async () => {
      const unnamed = (commandId: string) =>
        h.handlers.delivery.execute(
          new RunDeliveryCommand<ReportSpend>(
            'ReportSpend',
            { fundId: FUND_ID, proposalId: 'library', amount: 100, description: 'Deposit', spentOn: '2026-04-01' },
            h.input(STAFF.admin, commandId),
          ),
        );
      const first = await unnamed('spend-1');
      await expect(unnamed('spend-1')).resolves.toMatchObject({ alreadyHandled: true, chosenId: first.chosenId, position: first.position });
      await unnamed('spend-2');
      expect(await deliveryOf('library')).toMatchObject({ totalSpent: 200 });
      const milestone = (commandId: string) =>
        h.handlers.delivery.execute(
          new RunDeliveryCommand<ReportMilestone>(
            'ReportMilestone',
            { fundId: FUND_ID, proposalId: 'library', title: 'Opened', status: 'done', note: '' },
            h.input(STAFF.admin, commandId),
          ),
        );
      const reported = await milestone('milestone-1');
      await expect(milestone('milestone-1')).resolves.toMatchObject({ alreadyHandled: true, chosenId: reported.chosenId });
      expect(await deliveryOf('library')).toMatchObject({ milestones: [expect.objectContaining({ milestoneId: reported.chosenId })] });
    });
    it('refuses a proposal that does not exist', () => expect(spend('ghost')).rejects.toMatchObject({ code: 'DELIVERY.NOT_FUNDED' }));
  });
});
