import type { AllocationCommand } from '../allocation/allocation.commands';
import type { AllocationState } from '../allocation/allocation.state';
import type { AcceptedProposal } from '../ballot/ballot-content';
import type { BallotCommand } from '../ballot/ballot.commands';
import { DomainError, reject, streams, type Decider, type DomainEvent, type ErrorCode } from '../common';
import {
  allocationDecider,
  ballotDecider,
  deliveryDecider,
  fundDecider,
  paperBatchDecider,
  proposalDecider,
  residentDecider,
} from '../deciders';
import type { DeliveryCommand } from '../delivery/delivery';
import type { FundCommand } from '../fund/fund.commands';
import type { ExistingFund, FundState } from '../fund/fund.state';
import type { PaperBatchCommand, PaperBatchState } from '../paper-batch/paper-batch';
import type { ProposalCommand } from '../proposal/proposal.commands';
import type { ProposalState } from '../proposal/proposal.state';
import type { ResidentCommand, ResidentState } from '../resident/resident';

export type AnyCommand =
  FundCommand | ResidentCommand | ProposalCommand | BallotCommand | PaperBatchCommand | AllocationCommand | DeliveryCommand;
// Streams of every aggregate share one table, so the decider is chosen at run time.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDecider = Decider<any, any, any, any>;

export interface Recorded {
  readonly stream: string;
  readonly event: DomainEvent;
}

export type Outcome = { readonly ok: true; readonly events: readonly DomainEvent[] } | { readonly ok: false; readonly code: ErrorCode };

/** The aggregate that owns each stream category, so a history can be folded from zero. */
const DECIDERS: Record<string, AnyDecider> = {
  fund: fundDecider,
  resident: residentDecider,
  proposal: proposalDecider,
  ballot: ballotDecider,
  paperbatch: paperBatchDecider,
  allocation: allocationDecider,
  delivery: deliveryDecider,
};
const category = (stream: string) => stream.slice(0, stream.indexOf('-'));

/**
 * A whole platform in memory, for property and replay tests: it routes each command to
 * its stream, loads the context a handler would load, decides, and appends. Pure and
 * synchronous; `voters` maps a voter pseudonym to a resident id, as the key port would, and
 * `datesOfBirth` a resident id to what the vault would open from their sealed data.
 */
export class World {
  readonly log: Recorded[] = [];
  /**
   * Each event as a store keeps it: its JSON text, taken when it is appended. A replay folds
   * these, not the objects the live states were folded from, so it shows what a store gives
   * back (a value JSON cannot hold, or an event changed after its append, would make it differ).
   */
  private readonly stored: { readonly stream: string; readonly json: string }[] = [];
  private readonly states = new Map<string, unknown>();

  constructor(
    private readonly voters: ReadonlyMap<string, string> = new Map(),
    private readonly datesOfBirth: ReadonlyMap<string, string> = new Map(),
  ) {}

  state<S>(stream: string): S {
    return (this.states.get(stream) ?? DECIDERS[category(stream)].initialState()) as S;
  }

  execute(command: AnyCommand): Outcome {
    try {
      const { stream, decider, context } = this.route(command);
      const events: DomainEvent[] = decider.decide(command, this.state(stream), context);
      for (const event of events) {
        this.stored.push({ stream, json: JSON.stringify(event) });
        this.states.set(stream, decider.evolve(this.state(stream), event));
        this.log.push({ stream, event });
      }
      return { ok: true, events };
    } catch (error) {
      if (error instanceof DomainError) return { ok: false, code: error.code };
      throw error;
    }
  }

  /** Every stream's state folded again from the first stored event, as parsed back from its JSON. */
  replay(): Map<string, unknown> {
    const replayed = new Map<string, unknown>();
    for (const { stream, json } of this.stored) {
      const decider = DECIDERS[category(stream)];
      replayed.set(stream, decider.evolve(replayed.get(stream) ?? decider.initialState(), JSON.parse(json) as DomainEvent));
    }
    return replayed;
  }

  live(): Map<string, unknown> {
    return new Map(this.states);
  }

  fund(fundId: string): ExistingFund {
    const fund = this.state<FundState>(streams.fund(fundId));
    return fund.status === 'none' ? reject('FUND.NOT_FOUND', 'There is no such fund.') : fund;
  }

  acceptedProposals(potId: string): AcceptedProposal[] {
    return this.log
      .filter(({ event }) => event.type === 'ProposalSubmitted')
      .map(({ stream }) => this.state<ProposalState>(stream))
      .flatMap((p) => (p.status === 'accepted' && p.potId === potId ? [{ proposalId: p.proposalId, officialCost: p.officialCost }] : []));
  }

  private proposal(proposalId: string): ProposalState {
    return this.state(streams.proposal(proposalId));
  }

  private route(command: AnyCommand): { stream: string; decider: AnyDecider; context: unknown } {
    switch (command.type) {
      case 'CreateFund':
      case 'RescheduleFund':
      case 'AddPot':
      case 'ChangePotRules':
      case 'ChooseBallotPublication':
      case 'OpenProposals':
      case 'StartReview':
      case 'OpenVoting':
      case 'CloseVoting':
      case 'CloseVotingEarly':
      case 'ExtendVoting':
      case 'PublishResults':
      case 'StartDelivery':
      case 'CloseFund': {
        const fund = this.state<FundState>(streams.fund(command.payload.fundId));
        const pots = fund.status === 'none' ? [] : fund.pots;
        const publishedPotIds = pots
          .filter((p) => this.state<AllocationState>(streams.allocation(p.potId)).status === 'published')
          .map((p) => p.potId);
        return { stream: streams.fund(command.payload.fundId), decider: fundDecider, context: { publishedPotIds } };
      }
      case 'RegisterResident':
      case 'ImportResident':
      case 'VerifyResident':
      case 'AssignWard':
      case 'EraseResident':
        return { stream: streams.resident(command.payload.residentId), decider: residentDecider, context: undefined };
      case 'SubmitProposal':
      case 'EditProposal':
      case 'WithdrawProposal':
      case 'AcceptProposal':
      case 'RejectProposal':
      case 'MergeProposal':
      case 'AbsorbDuplicate':
      case 'ImportProposal': {
        const own = this.proposal(command.payload.proposalId);
        const fundId =
          command.type === 'SubmitProposal' || command.type === 'ImportProposal'
            ? command.payload.fundId
            : own.status === 'none'
              ? reject('PROPOSAL.NOT_FOUND', 'There is no such proposal.')
              : own.fundId;
        const otherId =
          command.type === 'MergeProposal'
            ? command.payload.survivorId
            : command.type === 'AbsorbDuplicate'
              ? command.payload.duplicateId
              : undefined;
        const other = otherId === undefined ? undefined : this.proposal(otherId);
        // A resident proposes under their resident id, the id of their register stream.
        const proposer = ['SubmitProposal', 'EditProposal', 'WithdrawProposal'].includes(command.type)
          ? this.state<ResidentState>(streams.resident(command.metadata.actor.id))
          : undefined;
        return {
          stream: streams.proposal(command.payload.proposalId),
          decider: proposalDecider,
          context: { fund: this.fund(fundId), other, proposer },
        };
      }
      case 'CastBallot':
      case 'ReplaceBallot':
      case 'WithdrawBallot':
      case 'VoidBallot':
      case 'RecordPaperBallot':
      case 'CorrectPaperBallot':
      case 'ImportBallot': {
        const { fundId, potId, voter } = command.payload;
        const residentId = this.voters.get(voter);
        const context = {
          fund: this.fund(fundId),
          acceptedProposals: this.acceptedProposals(potId),
          voter: residentId === undefined ? undefined : this.state<ResidentState>(streams.resident(residentId)),
          voterDateOfBirth: residentId === undefined ? undefined : this.datesOfBirth.get(residentId),
          batch: 'batchId' in command.payload ? this.state<PaperBatchState>(streams.paperBatch(command.payload.batchId)) : undefined,
        };
        return { stream: streams.ballot(potId, voter), decider: ballotDecider, context };
      }
      case 'RecordPaperBatch':
      case 'CorrectPaperBatch':
      case 'RecordPaperEntryRefusal':
      case 'RecordPaperEntryCorrection': {
        const batch = this.state<PaperBatchState>(streams.paperBatch(command.payload.batchId));
        const fundId =
          command.type === 'RecordPaperBatch'
            ? command.payload.fundId
            : batch.status === 'none'
              ? reject('PAPER_BATCH.NOT_FOUND', 'There is no such batch.')
              : batch.fundId;
        return { stream: streams.paperBatch(command.payload.batchId), decider: paperBatchDecider, context: { fund: this.fund(fundId) } };
      }
      case 'RecordAllocation':
      case 'OverrideAllocationLine':
      case 'RatifyAllocation':
      case 'PublishAllocation': {
        const context = { fund: this.fund(command.payload.fundId), acceptedProposals: this.acceptedProposals(command.payload.potId) };
        return { stream: streams.allocation(command.payload.potId), decider: allocationDecider, context };
      }
      case 'ReportMilestone':
      case 'ReportSpend': {
        const proposal = this.proposal(command.payload.proposalId);
        const allocation =
          proposal.status === 'none' ? allocationDecider.initialState() : this.state<AllocationState>(streams.allocation(proposal.potId));
        return {
          stream: streams.delivery(command.payload.proposalId),
          decider: deliveryDecider,
          context: { fund: this.fund(command.payload.fundId), allocation },
        };
      }
      default: {
        const _: never = command;
        return _;
      }
    }
  }
}
