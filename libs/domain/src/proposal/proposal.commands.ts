import type { Command, Pence } from '../common';
import type { ExistingFund } from '../fund/fund.state';
import type { ResidentState } from '../resident/resident';
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

/**
 * A project of an election the council ran elsewhere, imported by an administrator from a
 * pabulib file during review: recorded as submitted and accepted at once, at the file's cost.
 */
export type ImportProposal = Command<
  'ImportProposal',
  ProposalRef &
    ProposalContent & { readonly fundId: string; readonly potId: string; readonly fileDigest: string; readonly projectId: string }
>;

export type ProposalCommand =
  SubmitProposal | EditProposal | WithdrawProposal | AcceptProposal | RejectProposal | MergeProposal | AbsorbDuplicate | ImportProposal;

/**
 * What a proposal decision needs from other streams, loaded by the handler:
 * - `fund`: the fund the proposal belongs to (or is submitted to), for its phase and pots;
 * - `other`: for `MergeProposal` the survivor, for `AbsorbDuplicate` the duplicate;
 * - `proposer`: for `SubmitProposal`, `EditProposal` and `WithdrawProposal`, the register's
 *   record of the resident who acts (the stream of the actor's id); absent, they are not on it.
 */
export interface ProposalContext {
  readonly fund: ExistingFund;
  readonly other?: ProposalState;
  readonly proposer?: ResidentState;
  /** For `AcceptProposal`: the number the handler reserved for this proposal in its fund. */
  readonly number?: number;
}
