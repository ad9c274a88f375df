import type { AllocationCommand, AllocationContext } from './allocation/allocation.commands';
import { decideAllocation } from './allocation/allocation.decide';
import type { AllocationEvent } from './allocation/allocation.events';
import { evolveAllocation, initialAllocationState, type AllocationState } from './allocation/allocation.state';
import type { BallotCommand, BallotContext } from './ballot/ballot.commands';
import { decideBallot } from './ballot/ballot.decide';
import type { BallotEvent } from './ballot/ballot.events';
import { evolveBallot, initialBallotState, type BallotState } from './ballot/ballot.state';
import { decideWards, evolveWards, initialWardsState, type WardsCommand, type WardsEvent, type WardsState } from './borough/wards';
import type { Decider } from './common';
import {
  decideDelivery,
  evolveDelivery,
  initialDeliveryState,
  type DeliveryCommand,
  type DeliveryContext,
  type DeliveryEvent,
  type DeliveryState,
} from './delivery/delivery';
import type { FundCommand, FundContext } from './fund/fund.commands';
import { decideFund } from './fund/fund.decide';
import type { FundEvent } from './fund/fund.events';
import { evolveFund, initialFundState, type FundState } from './fund/fund.state';
import {
  decidePaperBatch,
  evolvePaperBatch,
  initialPaperBatchState,
  type PaperBatchCommand,
  type PaperBatchContext,
  type PaperBatchEvent,
  type PaperBatchState,
} from './paper-batch/paper-batch';
import type { ProposalCommand, ProposalContext } from './proposal/proposal.commands';
import { decideProposal } from './proposal/proposal.decide';
import type { ProposalEvent } from './proposal/proposal.events';
import { evolveProposal, initialProposalState, type ProposalState } from './proposal/proposal.state';
import {
  decideProposalNumber,
  evolveProposalNumbers,
  initialProposalNumbersState,
  PROPOSAL_NUMBERS_FOLDED,
  type ProposalNumberCommand,
  type ProposalNumberEvent,
  type ProposalNumbersState,
} from './proposal/proposal-numbers';
import {
  decideResident,
  evolveResident,
  initialResidentState,
  type ResidentCommand,
  type ResidentEvent,
  type ResidentState,
} from './resident/resident';

/** Every aggregate as one value, for generic handlers and tests. */
export const residentDecider: Decider<ResidentCommand, ResidentEvent, ResidentState, undefined> = {
  initialState: initialResidentState,
  evolve: evolveResident,
  decide: (command, state) => decideResident(command, state),
};
export const fundDecider: Decider<FundCommand, FundEvent, FundState, FundContext | undefined> = {
  initialState: initialFundState,
  evolve: evolveFund,
  decide: decideFund,
};
export const proposalDecider: Decider<ProposalCommand, ProposalEvent, ProposalState, ProposalContext> = {
  initialState: initialProposalState,
  evolve: evolveProposal,
  decide: decideProposal,
};
export const proposalNumbersDecider: Decider<ProposalNumberCommand, ProposalNumberEvent, ProposalNumbersState, undefined> = {
  initialState: initialProposalNumbersState,
  evolve: evolveProposalNumbers,
  decide: (command, state) => decideProposalNumber(command, state),
  // Every acceptance of a fund appends here: a load reads the latest reservations, not all of them.
  foldsLast: PROPOSAL_NUMBERS_FOLDED,
};
export const wardsDecider: Decider<WardsCommand, WardsEvent, WardsState, undefined> = {
  initialState: initialWardsState,
  evolve: evolveWards,
  decide: (command, state) => decideWards(command, state),
};
export const ballotDecider: Decider<BallotCommand, BallotEvent, BallotState, BallotContext> = {
  initialState: initialBallotState,
  evolve: evolveBallot,
  decide: decideBallot,
};
export const paperBatchDecider: Decider<PaperBatchCommand, PaperBatchEvent, PaperBatchState, PaperBatchContext> = {
  initialState: initialPaperBatchState,
  evolve: evolvePaperBatch,
  decide: decidePaperBatch,
};
export const allocationDecider: Decider<AllocationCommand, AllocationEvent, AllocationState, AllocationContext> = {
  initialState: initialAllocationState,
  evolve: evolveAllocation,
  decide: decideAllocation,
};
export const deliveryDecider: Decider<DeliveryCommand, DeliveryEvent, DeliveryState, DeliveryContext> = {
  initialState: initialDeliveryState,
  evolve: evolveDelivery,
  decide: decideDelivery,
};
