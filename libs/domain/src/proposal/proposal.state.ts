import { remember, unreachable, type Pence } from '../common';
import type { ProposalContent, ProposalEvent } from './proposal.events';

interface Known extends ProposalContent {
  readonly proposalId: string;
  readonly fundId: string;
  readonly potId: string;
  readonly authorId: string;
  readonly absorbed: readonly string[];
  readonly handled: readonly string[];
}

export type ProposalState =
  | { readonly status: 'none'; readonly handled: readonly string[] }
  | (Known & { readonly status: 'submitted' })
  | (Known & { readonly status: 'withdrawn' })
  | (Known & { readonly status: 'accepted'; readonly officialCost: Pence; readonly number?: number })
  | (Known & { readonly status: 'rejected'; readonly reason: string })
  | (Known & { readonly status: 'merged'; readonly survivorId: string });

export type ExistingProposal = Exclude<ProposalState, { status: 'none' }>;

export const initialProposalState = (): ProposalState => ({ status: 'none', handled: [] });

/** Keeps the fields every known proposal has, dropping those of its previous status. */
const known = (state: ExistingProposal): Known => {
  const { proposalId, fundId, potId, authorId, absorbed, handled, title, summary, description, category, estimatedCost, location } = state;
  return { proposalId, fundId, potId, authorId, absorbed, handled, title, summary, description, category, estimatedCost, location };
};

export const evolveProposal = (state: ProposalState, event: ProposalEvent): ProposalState => {
  const handled = remember(state.handled, event);
  if (event.type === 'ProposalSubmitted') return { ...event.data, status: 'submitted', absorbed: [], handled };
  if (state.status === 'none') throw new Error(`${event.type} before ProposalSubmitted`);
  const base = { ...known(state), handled };
  switch (event.type) {
    case 'ProposalEdited':
      return { ...state, ...event.data.changes, handled };
    case 'ProposalWithdrawn':
      return { ...base, status: 'withdrawn' };
    case 'ProposalAccepted':
      return {
        ...base,
        status: 'accepted',
        officialCost: event.data.officialCost,
        ...(event.data.number !== undefined && { number: event.data.number }),
      };
    case 'ProposalRejected':
      return { ...base, status: 'rejected', reason: event.data.reason };
    case 'ProposalMerged':
      return { ...base, status: 'merged', survivorId: event.data.survivorId };
    case 'ProposalDuplicateAbsorbed':
      return { ...state, absorbed: [...state.absorbed, event.data.duplicateId], handled };
    default:
      return unreachable(event);
  }
};
