import type { EditProposal, RegisterResident, SubmitProposal, VerifyResident, WithdrawProposal } from '@civic/domain';
import { RunResidentCommand } from '../resident/run-resident-command';
import { createHarness, FUND_ID, registerCsv, RESIDENT, SAMPLE_PROPOSALS, STAFF, WARD_POT, type Harness } from '../testing/harness';
import { RunProposalCommand, RunProposalCommandHandler } from './run-proposal-command';

describe(RunProposalCommandHandler.name, () => {
  let h: Harness;
  const content = { title: 'Benches', summary: 's', description: 'd', category: 'streets', estimatedCost: 5_000_00 };
  const submit = async (
    proposalId: string | undefined,
    { potId = WARD_POT.potId, reference = 'TH000000', commandId = undefined as string | undefined } = {},
  ) =>
    h.handlers.proposals.execute(
      new RunProposalCommand<SubmitProposal>(
        'SubmitProposal',
        { proposalId, fundId: FUND_ID, potId, ...content },
        h.input(await h.resident(reference), commandId),
      ),
    );

  describe('while voting is open', () => {
    beforeEach(async () => {
      h = createHarness();
      await h.openVoting(registerCsv(1), SAMPLE_PROPOSALS);
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
        { proposalId: 'benches', officialCost: 8_000_00, number: 1 },
        { proposalId: 'lights', officialCost: 5_000_00, number: 3 },
        { proposalId: 'trees', officialCost: 9_000_00, number: 2 },
      ]);
    });
  });

  describe('while proposals are open', () => {
    beforeEach(async () => {
      h = createHarness();
      await h.openProposals(registerCsv(2));
    });

    it('takes a proposal from a resident on the register', async () => {
      await submit('benches', { reference: 'TH000001' });
      expect(await h.runtime.reader.proposal('benches')).toMatchObject({
        status: 'submitted',
        authorId: (await h.resident('TH000001')).id,
      });
    });

    it('refuses a signed-in resident who is not on the register, and one registered but not yet verified, until verified', async () => {
      await expect(submit('p1', { reference: 'TH999999' })).rejects.toMatchObject({ code: 'PROPOSAL.NOT_ELIGIBLE' });
      await h.handlers.residents.execute(
        new RunResidentCommand<RegisterResident>(
          'RegisterResident',
          { reference: 'TH999999', dateOfBirth: '1990-05-17' },
          h.input(RESIDENT),
        ),
      );
      await expect(submit('p1', { reference: 'TH999999' })).rejects.toMatchObject({ code: 'PROPOSAL.NOT_ELIGIBLE' });
      expect(await h.store.readStream('proposal-p1')).toEqual([]);
      await h.handlers.residents.execute(
        new RunResidentCommand<VerifyResident>('VerifyResident', { reference: 'TH999999' }, h.input(STAFF.reviewer)),
      );
      await expect(submit('p1', { reference: 'TH999999' })).resolves.toMatchObject({ alreadyHandled: false });
    });

    it('refuses an erased resident, to propose or to change what they proposed before', async () => {
      await submit('p1', { reference: 'TH000001' });
      await h.handlers.residents.execute(
        new RunResidentCommand('EraseResident', { reference: 'TH000001', reason: 'Case 7' }, h.input(STAFF.admin)),
      );
      await expect(submit('p2', { reference: 'TH000001' })).rejects.toMatchObject({ code: 'RESIDENT.ERASED' });
      const author = h.input(await h.resident('TH000001'));
      const edit = new RunProposalCommand<EditProposal>('EditProposal', { proposalId: 'p1', changes: { title: 'x' } }, author);
      await expect(h.handlers.proposals.execute(edit)).rejects.toMatchObject({ code: 'RESIDENT.ERASED' });
      const withdraw = new RunProposalCommand<WithdrawProposal>('WithdrawProposal', { proposalId: 'p1' }, author);
      await expect(h.handlers.proposals.execute(withdraw)).rejects.toMatchObject({ code: 'RESIDENT.ERASED' });
    });

    it('names a proposal sent without an id from the command id: a retry answers as the first call did and writes nothing', async () => {
      const first = await submit(undefined, { commandId: 'submit-1' });
      const again = await submit(undefined, { commandId: 'submit-1' });
      expect(first.chosenId).toEqual(expect.any(String));
      expect(again).toMatchObject({ alreadyHandled: true, chosenId: first.chosenId, revision: first.revision, position: first.position });
      expect((await h.store.readAll()).filter((e) => e.type === 'ProposalSubmitted')).toHaveLength(1);
      const other = await submit(undefined, { commandId: 'submit-2' });
      expect(other.chosenId).not.toBe(first.chosenId);
    });
  });
});
