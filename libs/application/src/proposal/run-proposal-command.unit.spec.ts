import type { EditProposal, WithdrawProposal } from '@civic/domain';
import { createHarness, FUND_ID, RESIDENT, SAMPLE_PROPOSALS, WARD_POT, type Harness } from '../testing/harness';
import { RunProposalCommand, RunProposalCommandHandler } from './run-proposal-command';

describe(RunProposalCommandHandler.name, () => {
  let h: Harness;
  const content = { title: 'Benches', summary: 's', description: 'd', category: 'streets', estimatedCost: 5_000_00 };
  const submit = (proposalId: string, potId = WARD_POT.potId) =>
    h.handlers.proposals.execute(
      new RunProposalCommand('SubmitProposal', { proposalId, fundId: FUND_ID, potId, ...content }, h.input(RESIDENT)),
    );

  beforeEach(async () => {
    h = createHarness();
    await h.openVoting('reference,ward,date_of_birth', SAMPLE_PROPOSALS);
  });

  it('refuses submissions once proposals are closed', () =>
    expect(submit('late')).rejects.toMatchObject({ code: 'PROPOSAL.SUBMISSIONS_CLOSED' }));

  it('refuses to edit or withdraw a proposal that does not exist, before loading any fund', async () => {
    await expect(
      h.handlers.proposals.execute(
        new RunProposalCommand<EditProposal>('EditProposal', { proposalId: 'ghost', changes: { title: 'x' } }, h.input(RESIDENT)),
      ),
    ).rejects.toMatchObject({
      code: 'PROPOSAL.NOT_FOUND',
    });
    await expect(
      h.handlers.proposals.execute(
        new RunProposalCommand<WithdrawProposal>('WithdrawProposal', { proposalId: 'ghost' }, h.input(RESIDENT)),
      ),
    ).rejects.toMatchObject({
      code: 'PROPOSAL.NOT_FOUND',
    });
  });

  it('refuses a proposal in an unknown fund', () =>
    expect(
      h.handlers.proposals.execute(
        new RunProposalCommand(
          'SubmitProposal',
          { proposalId: 'p', fundId: 'no-fund', potId: WARD_POT.potId, ...content },
          h.input(RESIDENT),
        ),
      ),
    ).rejects.toMatchObject({ code: 'FUND.NOT_FOUND' }));

  it('keeps the accepted proposals of a pot once voting has opened', async () => {
    const fund = await h.runtime.reader.fund(FUND_ID);
    expect(fund.status).toBe('voting_open');
    expect(await h.runtime.reader.acceptedProposals(fund, WARD_POT.potId)).toEqual([
      { proposalId: 'benches', officialCost: 8_000_00 },
      { proposalId: 'lights', officialCost: 5_000_00 },
      { proposalId: 'trees', officialCost: 9_000_00 },
    ]);
  });
});
