import type { Command, Pence } from '../common';
import type { ExistingFund } from '../fund/fund.state';
import type { ProposalContent } from './proposal.events';
import type { ProposalState } from './proposal.state';

type ProposalRef = { readonly proposalId: string };

export type SubmitProposal = Command<'SubmitProposal', ProposalRef & ProposalContent & { readonly fundId: string; readonly potId: string }>;
export type EditProposal = Command<'EditProposal', ProposalRef & { readonly changes: Partial<ProposalContent> }>;
export type WithdrawProposal = Command<'WithdrawProposal', ProposalRef>;
export type AcceptProposal = Command<'AcceptProposal', ProposalRef & { readonly officialCost: Pence }>;
export type RejectProposal = Command<'RejectProposal', ProposalRef & { readonly reason: string }>;
/** Sent to the duplicate's stream; the handler then sends `AbsorbDuplicate` to the survivor's. */
export type MergeProposal = Command<'MergeProposal', ProposalRef & { readonly survivorId: string }>;
export type AbsorbDuplicate = Command<'AbsorbDuplicate', ProposalRef & { readonly duplicateId: string }>;

export type ProposalCommand =
  SubmitProposal | EditProposal | WithdrawProposal | AcceptProposal | RejectProposal | MergeProposal | AbsorbDuplicate;

/**
 * What a proposal decision needs from other streams, loaded by the handler:
 * - `fund`: the fund the proposal belongs to (or is submitted to), for its phase and pots;
 * - `other`: for `MergeProposal` the survivor, for `AbsorbDuplicate` the duplicate.
 */
export interface ProposalContext {
  readonly fund: ExistingFund;
  readonly other?: ProposalState;
}
