import { eventFrom, isPence, once, reject, requireId, requireRole, requireText, STAFF, unreachable, type Command } from '../common';
import type { ProposalCommand, ProposalContext } from './proposal.commands';
import type { ProposalContent, ProposalEvent } from './proposal.events';
import type { ExistingProposal, ProposalState } from './proposal.state';

const invalid = (field: string) => reject('PROPOSAL.INVALID', `The ${field} is not valid.`);

/** Checks whichever content fields are present. */
const validateContent = (c: Partial<ProposalContent>): Partial<ProposalContent> => {
  if (c.title !== undefined) requireText(c.title, 120, 'PROPOSAL.INVALID', 'title');
  if (c.summary !== undefined) requireText(c.summary, 500, 'PROPOSAL.INVALID', 'summary');
  if (c.description !== undefined) requireText(c.description, 10000, 'PROPOSAL.INVALID', 'description');
  if (c.category !== undefined) requireText(c.category, 100, 'PROPOSAL.INVALID', 'category');
  if (c.estimatedCost !== undefined && (!isPence(c.estimatedCost) || c.estimatedCost === 0)) invalid('estimated cost');
  if (c.location !== undefined) {
    const { description, latitude, longitude } = c.location;
    requireText(description, 300, 'PROPOSAL.INVALID', 'location');
    if (latitude !== undefined && !(typeof latitude === 'number' && latitude >= -90 && latitude <= 90)) invalid('latitude');
    if (longitude !== undefined && !(typeof longitude === 'number' && longitude >= -180 && longitude <= 180)) invalid('longitude');
  }
  return c;
};

const requireProposal = (state: ProposalState): ExistingProposal =>
  state.status === 'none' ? reject('PROPOSAL.NOT_FOUND', 'There is no such proposal.') : state;

const potBudget = (context: ProposalContext, potId: string): number =>
  context.fund.pots.find((p) => p.potId === potId)?.budget ?? reject('PROPOSAL.UNKNOWN_POT', 'The fund has no such pot.');

/** Edit and withdraw: the author's own proposal, not yet reviewed, while proposals are open. */
const requireEditable = (command: Command, state: ProposalState, context: ProposalContext): ExistingProposal => {
  requireRole(command.metadata.actor, ['resident'], 'change a proposal');
  const proposal = requireProposal(state);
  if (proposal.authorId !== command.metadata.actor.id) reject('AUTH.FORBIDDEN', 'Only the author may change a proposal.');
  if (proposal.status !== 'submitted' || context.fund.status !== 'proposals_open') {
    reject('PROPOSAL.LOCKED', 'A proposal can be changed only before review begins.');
  }
  return proposal;
};

/** Accept, reject and merge: staff, a proposal still awaiting review, during the review phase. */
const requireReviewable = (command: Command, state: ProposalState, context: ProposalContext): ExistingProposal => {
  requireRole(command.metadata.actor, STAFF, 'review proposals');
  const proposal = requireProposal(state);
  if (context.fund.status !== 'review') reject('PROPOSAL.REVIEW_CLOSED', 'Proposals are reviewed only during the review phase.');
  if (proposal.status !== 'submitted') reject('PROPOSAL.ALREADY_REVIEWED', 'This proposal is no longer awaiting review.');
  return proposal;
};

const decideProposalCommand = (command: ProposalCommand, state: ProposalState, context: ProposalContext): ProposalEvent[] => {
  switch (command.type) {
    case 'SubmitProposal': {
      requireRole(command.metadata.actor, ['resident'], 'submit a proposal');
      if (state.status !== 'none') return reject('PROPOSAL.ALREADY_EXISTS', 'A proposal with this id already exists.');
      const p = command.payload;
      requireId(p.proposalId, 'proposal id');
      if (context.fund.fundId !== p.fundId || context.fund.status !== 'proposals_open') {
        reject('PROPOSAL.SUBMISSIONS_CLOSED', 'This fund is not taking proposals.');
      }
      const budget = potBudget(context, p.potId);
      const { title, summary, description, category, estimatedCost, location } = p;
      const content = { title, summary, description, category, estimatedCost, ...(location ? { location } : {}) };
      validateContent(content);
      if (estimatedCost > budget) reject('PROPOSAL.OVER_POT_BUDGET', 'The estimated cost is more than the pot holds.');
      const data = { proposalId: p.proposalId, fundId: p.fundId, potId: p.potId, authorId: command.metadata.actor.id, ...content };
      return [eventFrom(command, 'ProposalSubmitted', data)];
    }
    case 'EditProposal': {
      const proposal = requireEditable(command, state, context);
      // Only the content may change: never the pot, the fund or the author, whatever the payload holds.
      const { title, summary, description, category, estimatedCost, location } = command.payload.changes ?? {};
      const picked = { title, summary, description, category, estimatedCost, location };
      const changes = validateContent(Object.fromEntries(Object.entries(picked).filter(([, v]) => v !== undefined)));
      if (Object.keys(changes).length === 0) return reject('PROPOSAL.INVALID', 'An edit must change something.');
      if (changes.estimatedCost !== undefined && changes.estimatedCost > potBudget(context, proposal.potId)) {
        reject('PROPOSAL.OVER_POT_BUDGET', 'The estimated cost is more than the pot holds.');
      }
      return [eventFrom(command, 'ProposalEdited', { proposalId: proposal.proposalId, changes })];
    }
    case 'WithdrawProposal': {
      const proposal = requireEditable(command, state, context);
      return [eventFrom(command, 'ProposalWithdrawn', { proposalId: proposal.proposalId })];
    }
    case 'AcceptProposal': {
      const proposal = requireReviewable(command, state, context);
      const { officialCost } = command.payload;
      if (!isPence(officialCost) || officialCost === 0) invalid('official cost');
      if (officialCost > potBudget(context, proposal.potId))
        reject('PROPOSAL.OVER_POT_BUDGET', 'The official cost is more than the pot holds.');
      return [eventFrom(command, 'ProposalAccepted', { proposalId: proposal.proposalId, officialCost })];
    }
    case 'RejectProposal': {
      const proposal = requireReviewable(command, state, context);
      const reason = requireText(command.payload.reason, 2000, 'PROPOSAL.INVALID', 'reason');
      return [eventFrom(command, 'ProposalRejected', { proposalId: proposal.proposalId, reason })];
    }
    case 'MergeProposal': {
      const duplicate = requireReviewable(command, state, context);
      const survivor = context.other;
      const live = survivor && (survivor.status === 'submitted' || survivor.status === 'accepted');
      if (
        !live ||
        survivor.proposalId !== command.payload.survivorId ||
        survivor.proposalId === duplicate.proposalId ||
        survivor.potId !== duplicate.potId
      ) {
        reject('PROPOSAL.MERGE_INVALID', 'A duplicate merges into another live proposal of the same pot.');
      }
      return [eventFrom(command, 'ProposalMerged', { proposalId: duplicate.proposalId, survivorId: command.payload.survivorId })];
    }
    case 'AbsorbDuplicate': {
      requireRole(command.metadata.actor, STAFF, 'review proposals');
      const survivor = requireProposal(state);
      const duplicate = context.other;
      if (duplicate?.status !== 'merged' || duplicate.survivorId !== survivor.proposalId) {
        reject('PROPOSAL.MERGE_INVALID', 'Only a proposal merged into this one can be absorbed.');
      }
      if (survivor.absorbed.includes(command.payload.duplicateId)) return [];
      return [
        eventFrom(command, 'ProposalDuplicateAbsorbed', { proposalId: survivor.proposalId, duplicateId: command.payload.duplicateId }),
      ];
    }
    default:
      return unreachable(command);
  }
};

export const decideProposal = once(decideProposalCommand);
