import { toDomainEvent, type CountedBallot } from '@civic/application';
import {
  allocationDecider,
  ballotDecider,
  fundDecider,
  pickedProposalIds,
  proposalDecider,
  type AcceptedProposal,
  type AllocationEvent,
  type AllocationState,
  type BallotEvent,
  type BallotState,
  type ExistingFund,
  type FundEvent,
  type FundState,
  type ProposalEvent,
  type ProposalState,
} from '@civic/domain';
import type { Position, RecordedEvent, Start } from '@civic/event-store';

const NO_COMMANDS: readonly string[] = Object.freeze([]);

/** Raised when an event does not fold: the history is malformed at that position. */
export class ReplayError extends Error {
  readonly code = 'AUDIT.REPLAY_FAILED';
}

const byProposalId = (a: { proposalId: string }, b: { proposalId: string }) =>
  a.proposalId < b.proposalId ? -1 : a.proposalId > b.proposalId ? 1 : 0;

/**
 * The platform's state folded from the log with the domain's own `evolve` functions (not the
 * API's projections): funds, proposals, ballots and allocations, as they stand after the last
 * event applied. Streams of other categories (residents, deliveries, checkpoints) are skipped:
 * nothing here reads them, and skipping keeps personal data out of memory.
 */
export class HistoryFold {
  readonly funds = new Map<string, FundState>();
  readonly proposals = new Map<string, ProposalState>();
  /** Ballot states by pot, then by stream. */
  readonly ballots = new Map<string, Map<string, BallotState>>();
  /** When each ballot stream's counted ballot was last cast or replaced (`recordedAt`). */
  readonly ballotTimes = new Map<string, string>();
  readonly allocations = new Map<string, AllocationState>();
  position: Position | Start = 'start';
  events = 0;

  apply(recorded: RecordedEvent): void {
    try {
      this.fold(recorded);
    } catch (err) {
      throw new ReplayError(
        `Event ${recorded.id} at position ${recorded.position} (${recorded.streamName}) does not fold: ${(err as Error).message}`,
        { cause: err },
      );
    }
    this.position = recorded.position;
    this.events++;
  }

  private fold(recorded: RecordedEvent): void {
    const category = recorded.streamName.slice(0, recorded.streamName.indexOf('-'));
    const data = recorded.data as { potId?: string };
    switch (category) {
      case 'fund': {
        const id = recorded.streamName.slice('fund-'.length);
        this.funds.set(id, fundDecider.evolve(this.funds.get(id) ?? fundDecider.initialState(), toDomainEvent<FundEvent>(recorded)));
        return;
      }
      case 'proposal': {
        const id = recorded.streamName.slice('proposal-'.length);
        this.proposals.set(
          id,
          proposalDecider.evolve(this.proposals.get(id) ?? proposalDecider.initialState(), toDomainEvent<ProposalEvent>(recorded)),
        );
        return;
      }
      case 'ballot': {
        const pot = String(data.potId);
        let streams = this.ballots.get(pot);
        if (!streams) this.ballots.set(pot, (streams = new Map()));
        const next = ballotDecider.evolve(
          streams.get(recorded.streamName) ?? ballotDecider.initialState(),
          toDomainEvent<BallotEvent>(recorded),
        );
        streams.set(recorded.streamName, this.compact(next));
        if (recorded.type === 'BallotCast' || recorded.type === 'BallotReplaced')
          this.ballotTimes.set(recorded.streamName, recorded.recordedAt);
        return;
      }
      case 'allocation': {
        const pot = recorded.streamName.slice('allocation-'.length);
        this.allocations.set(
          pot,
          allocationDecider.evolve(this.allocations.get(pot) ?? allocationDecider.initialState(), toDomainEvent<AllocationEvent>(recorded)),
        );
        return;
      }
      default:
        return;
    }
  }

  /** Each distinct id, kind or channel once, however many ballots name it. */
  private readonly strings = new Map<string, string>();

  /**
   * A ballot's state as it is kept: the same fields and values, but each string of its marks
   * and source (proposal ids, kinds, channels) and its fund and pot ids shared with every other
   * ballot that names them, and without the command ids it handled (the fold decides no
   * command). A city's ballots are most of the fold: each one's proposal ids, parsed from its
   * event, would otherwise be its own copies.
   */
  private compact(state: BallotState): BallotState {
    if (state.status === 'none') return state;
    const shared = <T>(value: T): T => {
      if (typeof value === 'string') {
        const known = this.strings.get(value);
        if (known !== undefined) return known as T;
        this.strings.set(value, value);
        return value;
      }
      if (Array.isArray(value)) return value.map(shared) as T;
      if (value !== null && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shared(v)])) as T;
      return value;
    };
    const kept = { ...state, fundId: shared(state.fundId), potId: shared(state.potId), handled: NO_COMMANDS };
    return kept.status === 'cast' ? { ...kept, content: shared(kept.content), source: shared(kept.source) } : kept;
  }

  fund(fundId: string): ExistingFund | undefined {
    const state = this.funds.get(fundId);
    return state && state.status !== 'none' ? state : undefined;
  }

  /** As `PlatformReader.acceptedProposals`: accepted proposals of the pot, by proposal id. */
  acceptedProposals(fundId: string, potId: string): AcceptedProposal[] {
    return [...this.proposals.values()]
      .flatMap((p) =>
        p.status === 'accepted' && p.fundId === fundId && p.potId === potId
          ? [{ proposalId: p.proposalId, officialCost: p.officialCost, ...(p.number !== undefined && { number: p.number }) }]
          : [],
      )
      .sort(byProposalId);
  }

  /** As `PlatformReader.countedBallots`: the latest ballot of each voter, not withdrawn or voided, by pseudonym. */
  countedBallots(potId: string): (CountedBallot & { streamName: string })[] {
    return [...(this.ballots.get(potId)?.entries() ?? [])]
      .flatMap(([streamName, b]) => (b.status === 'cast' ? [{ ...b, streamName }] : []))
      .sort((a, b) => (a.voter < b.voter ? -1 : a.voter > b.voter ? 1 : 0));
  }

  /** Supporters and points per accepted proposal; a pick on an approval or knapsack ballot is one point. */
  tally(fundId: string, potId: string): { proposalId: string; supporters: number; points: number }[] {
    const lines = new Map(
      this.acceptedProposals(fundId, potId).map((p) => [p.proposalId, { proposalId: p.proposalId, supporters: 0, points: 0 }]),
    );
    for (const ballot of this.countedBallots(potId)) {
      const { content } = ballot;
      const points = content.kind === 'cumulative' ? content.points.map((p) => p.points) : content.proposalIds.map(() => 1);
      pickedProposalIds(content).forEach((id, i) => {
        let line = lines.get(id);
        if (!line) lines.set(id, (line = { proposalId: id, supporters: 0, points: 0 }));
        line.supporters++;
        line.points += points[i];
      });
    }
    return [...lines.values()].sort(byProposalId);
  }
}
