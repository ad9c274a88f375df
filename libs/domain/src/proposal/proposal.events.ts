import type { DomainEvent, Pence } from '../common';

export interface ProposalLocation {
  readonly description: string;
  readonly latitude?: number;
  readonly longitude?: number;
}

/** What the author writes, and may edit until review. */
export interface ProposalContent {
  readonly title: string;
  readonly summary: string;
  readonly description: string;
  readonly category: string;
  /** The author's estimate, in pence. */
  readonly estimatedCost: Pence;
  readonly location?: ProposalLocation;
}

type ProposalRef = { readonly proposalId: string };

export type ProposalSubmitted = DomainEvent<
  'ProposalSubmitted',
  ProposalRef & ProposalContent & { readonly fundId: string; readonly potId: string; readonly authorId: string }
>;
export type ProposalEdited = DomainEvent<'ProposalEdited', ProposalRef & { readonly changes: Partial<ProposalContent> }>;
export type ProposalWithdrawn = DomainEvent<'ProposalWithdrawn', ProposalRef>;
export type ProposalAccepted = DomainEvent<'ProposalAccepted', ProposalRef & { readonly officialCost: Pence }>;
export type ProposalRejected = DomainEvent<'ProposalRejected', ProposalRef & { readonly reason: string }>;
/** On the duplicate: names the survivor, so its supporters can be told where their idea went. */
export type ProposalMerged = DomainEvent<'ProposalMerged', ProposalRef & { readonly survivorId: string }>;
/** On the survivor: names the duplicate it absorbed. */
export type ProposalDuplicateAbsorbed = DomainEvent<'ProposalDuplicateAbsorbed', ProposalRef & { readonly duplicateId: string }>;

export type ProposalEvent =
  ProposalSubmitted | ProposalEdited | ProposalWithdrawn | ProposalAccepted | ProposalRejected | ProposalMerged | ProposalDuplicateAbsorbed;
