import type { AcceptProposal, SubmitProposal } from '@civic/domain';
import { createHarness, FUND_ID, registerCsv, STAFF, TIMES, WARD_POT, type Harness } from '../testing/harness';
import { MergeDuplicatesCommand, MergeDuplicatesHandler } from './merge-duplicates';
import { RunProposalCommand } from './run-proposal-command';

describe(MergeDuplicatesHandler.name, () => {
  let h: Harness;
  const content = { summary: 's', description: 'd', category: 'streets', estimatedCost: 5_000_00 };
  const merge = (duplicateIds: string[], commandId?: string) =>
    h.handlers.merge.execute(new MergeDuplicatesCommand('trees', duplicateIds, h.input(STAFF.reviewer, commandId)));

  beforeEach(async () => {
    h = createHarness();
    await h.openProposals(registerCsv(1));
    const author = h.input(await h.resident('TH000000'));
    for (const proposalId of ['trees', 'more-trees', 'other-trees']) {
      const payload = { proposalId, fundId: FUND_ID, potId: WARD_POT.potId, title: proposalId, ...content };
      await h.handlers.proposals.execute(
        new RunProposalCommand<SubmitProposal>('SubmitProposal', payload, { ...author, commandId: `submit-${proposalId}` }),
      );
    }
    h.clock.set(TIMES.review);
    await h.fund('StartReview');
  });

  it('checks every duplicate on its stream before merging any: one reviewed since leaves the others unmerged', async () => {
    await h.handlers.proposals.execute(
      new RunProposalCommand<AcceptProposal>(
        'AcceptProposal',
        { proposalId: 'other-trees', officialCost: 5_000_00 },
        h.input(STAFF.reviewer),
      ),
    );
    await expect(merge(['more-trees', 'other-trees'])).rejects.toMatchObject({ code: 'PROPOSAL.ALREADY_REVIEWED' });
    expect(await h.runtime.reader.proposal('more-trees')).toMatchObject({ status: 'submitted' });
  });

  it('merges each duplicate into the survivor, and completes a retry', async () => {
    const first = await merge(['more-trees', 'other-trees'], 'merge-1');
    expect(await h.runtime.reader.proposal('other-trees')).toMatchObject({ status: 'merged', survivorId: 'trees' });
    const again = await merge(['more-trees', 'other-trees'], 'merge-1');
    expect(again.map((r) => [r.alreadyHandled, r.position])).toEqual(first.map((r) => [true, r.position]));
  });

  it.each([
    ['an unknown survivor or duplicate', ['ghost'], 'PROPOSAL.NOT_FOUND'],
    ['the survivor itself', ['trees'], 'PROPOSAL.MERGE_INVALID'],
  ])('refuses %s', (_, ids, code) => expect(merge(ids)).rejects.toMatchObject({ code }));
});
