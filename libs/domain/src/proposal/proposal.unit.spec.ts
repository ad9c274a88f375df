import { proposalDecider } from '../deciders';
import { deciderSpec } from '../testing/decider-spec';
import { actors, boroughPot, command, FUND_ID, fundAt, past, T, wardPot } from '../testing/fixtures';
import type {
  AbsorbDuplicate,
  AcceptProposal,
  EditProposal,
  MergeProposal,
  ProposalContext,
  RejectProposal,
  SubmitProposal,
  WithdrawProposal,
} from './proposal.commands';
import type { ProposalContent, ProposalEvent } from './proposal.events';
import { evolveProposal, initialProposalState, type ProposalState } from './proposal.state';

const spec = deciderSpec(proposalDecider);
const AUTHOR = actors.resident('author-1');
const ID = 'prop-1';
const content: ProposalContent = {
  title: 'Benches on Brick Lane',
  summary: 'Ten benches',
  description: 'Ten oak benches along Brick Lane.',
  category: 'public-space',
  estimatedCost: 12_000_00,
  location: { description: 'Brick Lane', latitude: 51.52, longitude: -0.07 },
};
const submission = { proposalId: ID, fundId: FUND_ID, potId: wardPot.potId, ...content };
const during = (phase: Parameters<typeof fundAt>[0], other?: ProposalState): ProposalContext => ({ fund: fundAt(phase), other });

const submit = (changes: Partial<SubmitProposal['payload']> = {}, actor = AUTHOR) =>
  command<SubmitProposal>('SubmitProposal', { ...submission, ...changes }, actor, T.proposalsOpen);
const edit = (changes: Partial<ProposalContent>, actor = AUTHOR) =>
  command<EditProposal>('EditProposal', { proposalId: ID, changes }, actor, T.proposalsOpen);
const withdraw = (actor = AUTHOR) => command<WithdrawProposal>('WithdrawProposal', { proposalId: ID }, actor, T.proposalsOpen);
const accept = (officialCost: number, actor = actors.reviewer) =>
  command<AcceptProposal>('AcceptProposal', { proposalId: ID, officialCost }, actor, T.review);
const rejectIt = (reason: string) => command<RejectProposal>('RejectProposal', { proposalId: ID, reason }, actors.reviewer, T.review);
const merge = (survivorId: string) => command<MergeProposal>('MergeProposal', { proposalId: ID, survivorId }, actors.reviewer, T.review);

const submitted = (id = ID, potId = wardPot.potId) =>
  past<ProposalEvent>('ProposalSubmitted', { ...submission, proposalId: id, potId, authorId: AUTHOR.id }, T.proposalsOpen);
const accepted = (id = ID) => past<ProposalEvent>('ProposalAccepted', { proposalId: id, officialCost: 11_000_00 }, T.review);
const stateOf = (...events: ProposalEvent[]) => events.reduce(evolveProposal, initialProposalState());

describe('proposal', () => {
  describe('SubmitProposal', () => {
    it('submits a proposal to a pot while proposals are open', () =>
      spec()
        .when(submit(), during('proposals_open'))
        .then({ type: 'ProposalSubmitted', data: { ...submission, authorId: AUTHOR.id } }));
    it('is for residents', () => spec().when(submit({}, actors.reviewer), during('proposals_open')).thenRejects('AUTH.FORBIDDEN'));
    it('refuses an id already used', () =>
      spec([submitted()]).when(submit(), during('proposals_open')).thenRejects('PROPOSAL.ALREADY_EXISTS'));
    it.each(['draft', 'review', 'voting_open'] as const)('refuses while the fund is %s', (phase) =>
      spec().when(submit(), during(phase)).thenRejects('PROPOSAL.SUBMISSIONS_CLOSED'),
    );
    it('refuses a pot the fund does not have', () =>
      spec()
        .when(submit({ potId: 'pot-x' }), during('proposals_open'))
        .thenRejects('PROPOSAL.UNKNOWN_POT'));
    it.each([
      ['an empty title', { title: '' }],
      ['a cost of zero', { estimatedCost: 0 }],
      ['a cost in fractions of a penny', { estimatedCost: 10.5 }],
      ['a latitude off the globe', { location: { description: 'x', latitude: 91 } }],
    ])('refuses %s', (_, change) => spec().when(submit(change), during('proposals_open')).thenRejects('PROPOSAL.INVALID'));
    it('refuses a cost above the pot', () =>
      spec()
        .when(submit({ estimatedCost: wardPot.budget + 1 }), during('proposals_open'))
        .thenRejects('PROPOSAL.OVER_POT_BUDGET'));
  });

  describe('EditProposal', () => {
    it('lets the author edit before review', () =>
      spec([submitted()])
        .when(edit({ title: 'Twelve benches' }), during('proposals_open'))
        .then({ type: 'ProposalEdited', data: { proposalId: ID, changes: { title: 'Twelve benches' } } }));
    it('is for the author only', () =>
      spec([submitted()])
        .when(edit({ title: 'Mine' }, actors.resident('other')), during('proposals_open'))
        .thenRejects('AUTH.FORBIDDEN'));
    it('is refused once review has begun', () =>
      spec([submitted()])
        .when(edit({ title: 'Late' }), during('review'))
        .thenRejects('PROPOSAL.LOCKED'));
    it('refuses an unknown proposal', () =>
      spec()
        .when(edit({ title: 'x' }), during('proposals_open'))
        .thenRejects('PROPOSAL.NOT_FOUND'));
    it('changes only the content, never the pot or the author', () =>
      spec([submitted()])
        .when(edit({ title: 'New', potId: 'pot-borough', authorId: 'someone' } as Partial<ProposalContent>), during('proposals_open'))
        .then({ type: 'ProposalEdited', data: { proposalId: ID, changes: { title: 'New' } } }));
    it('refuses an edit that changes nothing', () =>
      spec([submitted()]).when(edit({}), during('proposals_open')).thenRejects('PROPOSAL.INVALID'));
    it('refuses a cost above the pot', () =>
      spec([submitted()])
        .when(edit({ estimatedCost: wardPot.budget + 1 }), during('proposals_open'))
        .thenRejects('PROPOSAL.OVER_POT_BUDGET'));
    it('evolves to the edited content', () =>
      expect(stateOf(submitted(), past('ProposalEdited', { proposalId: ID, changes: { title: 'New' } }))).toMatchObject({
        status: 'submitted',
        title: 'New',
      }));
  });

  describe('WithdrawProposal', () => {
    it('lets the author withdraw before review', () =>
      spec([submitted()])
        .when(withdraw(), during('proposals_open'))
        .then({ type: 'ProposalWithdrawn', data: { proposalId: ID } }));
    it('is refused after a withdrawal', () =>
      spec([submitted(), past('ProposalWithdrawn', { proposalId: ID })])
        .when(withdraw(), during('proposals_open'))
        .thenRejects('PROPOSAL.LOCKED'));
    it('is for the author only', () =>
      spec([submitted()])
        .when(withdraw(actors.resident('other')), during('proposals_open'))
        .thenRejects('AUTH.FORBIDDEN'));
  });

  describe('AcceptProposal', () => {
    it('accepts with an official cost during review', () =>
      spec([submitted()])
        .when(accept(11_000_00), during('review'))
        .then({ type: 'ProposalAccepted', data: { proposalId: ID, officialCost: 11_000_00 } }));
    it('is for reviewers', () => spec([submitted()]).when(accept(1, actors.resident()), during('review')).thenRejects('AUTH.FORBIDDEN'));
    it('is refused outside review', () =>
      spec([submitted()]).when(accept(1), during('proposals_open')).thenRejects('PROPOSAL.REVIEW_CLOSED'));
    it('is refused twice', () =>
      spec([submitted(), accepted()]).when(accept(1), during('review')).thenRejects('PROPOSAL.ALREADY_REVIEWED'));
    it('refuses an official cost that is not whole pence', () =>
      spec([submitted()]).when(accept(99.9), during('review')).thenRejects('PROPOSAL.INVALID'));
    it('refuses an official cost above the pot', () =>
      spec([submitted()])
        .when(accept(wardPot.budget + 1), during('review'))
        .thenRejects('PROPOSAL.OVER_POT_BUDGET'));
  });

  describe('RejectProposal', () => {
    it('rejects with a reason', () =>
      spec([submitted()])
        .when(rejectIt('Not on council land'), during('review'))
        .then({ type: 'ProposalRejected', data: { proposalId: ID, reason: 'Not on council land' } }));
    it('needs a reason', () => spec([submitted()]).when(rejectIt(' '), during('review')).thenRejects('PROPOSAL.INVALID'));
  });

  describe('MergeProposal', () => {
    const survivor = stateOf(submitted('prop-2'), accepted('prop-2'));
    it('merges a duplicate into a live proposal of the same pot, naming the survivor', () =>
      spec([submitted()])
        .when(merge('prop-2'), during('review', survivor))
        .then({ type: 'ProposalMerged', data: { proposalId: ID, survivorId: 'prop-2' } }));
    it('refuses a survivor in another pot', () =>
      spec([submitted()])
        .when(merge('prop-3'), during('review', stateOf(submitted('prop-3', boroughPot.potId))))
        .thenRejects('PROPOSAL.MERGE_INVALID'));
    it('refuses a survivor that was rejected', () =>
      spec([submitted()])
        .when(
          merge('prop-2'),
          during('review', stateOf(submitted('prop-2'), past('ProposalRejected', { proposalId: 'prop-2', reason: 'x' }))),
        )
        .thenRejects('PROPOSAL.MERGE_INVALID'));
    it('refuses merging a proposal into itself', () =>
      spec([submitted()])
        .when(merge(ID), during('review', stateOf(submitted())))
        .thenRejects('PROPOSAL.MERGE_INVALID'));
  });

  describe('AbsorbDuplicate', () => {
    const absorb = command<AbsorbDuplicate>('AbsorbDuplicate', { proposalId: ID, duplicateId: 'prop-9' }, actors.reviewer, T.review);
    const duplicate = stateOf(submitted('prop-9'), past('ProposalMerged', { proposalId: 'prop-9', survivorId: ID }));
    it('records the duplicate on the survivor', () =>
      spec([submitted()])
        .when(absorb, during('review', duplicate))
        .then({ type: 'ProposalDuplicateAbsorbed', data: { proposalId: ID, duplicateId: 'prop-9' } }));
    it('refuses a proposal not merged into this one', () =>
      spec([submitted()])
        .when(absorb, during('review', stateOf(submitted('prop-9'))))
        .thenRejects('PROPOSAL.MERGE_INVALID'));
    it('records each duplicate once', () =>
      spec([submitted(), past('ProposalDuplicateAbsorbed', { proposalId: ID, duplicateId: 'prop-9' })])
        .when(absorb, during('review', duplicate))
        .thenNothing());
  });
});
