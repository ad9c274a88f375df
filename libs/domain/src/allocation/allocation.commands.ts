import type { Command } from '../common';
import type { AcceptedProposal } from '../ballot/ballot-content';
import type { ExistingFund } from '../fund/fund.state';
import type { AllocationOutcome } from './allocation.events';

type PotRef = { readonly fundId: string; readonly potId: string };

/** Records what the pot's rule computed (by `@civic/allocation`, in the handler). */
export type RecordAllocation = Command<'RecordAllocation', PotRef & { readonly outcome: AllocationOutcome }>;
/** A councillor changes one line, with a recorded reason; never beyond the budget. */
export type OverrideAllocationLine = Command<
  'OverrideAllocationLine',
  PotRef & { readonly proposalId: string; readonly funded: boolean; readonly reason: string }
>;
export type RatifyAllocation = Command<'RatifyAllocation', PotRef>;
export type PublishAllocation = Command<'PublishAllocation', PotRef>;

export type AllocationCommand = RecordAllocation | OverrideAllocationLine | RatifyAllocation | PublishAllocation;

/** The fund (phase, pot rules) and the accepted proposals of the pot with their official costs. */
export interface AllocationContext {
  readonly fund: ExistingFund;
  readonly acceptedProposals: readonly AcceptedProposal[];
}
