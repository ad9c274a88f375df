import type { ReportSpend } from '@civic/domain';
import { createHarness, FUND_ID, SAMPLE_PROPOSALS, STAFF, type Harness } from '../testing/harness';
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

  beforeEach(async () => {
    h = createHarness();
    await h.openVoting('reference,ward,date_of_birth', SAMPLE_PROPOSALS);
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
    it('refuses a proposal that does not exist', () => expect(spend('ghost')).rejects.toMatchObject({ code: 'DELIVERY.NOT_FUNDED' }));
  });
});
