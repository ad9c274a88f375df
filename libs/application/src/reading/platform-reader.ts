import {
  allocationDecider,
  ballotDecider,
  FROZEN_PHASES,
  fundDecider,
  paperBatchDecider,
  proposalDecider,
  reject,
  residentDecider,
  wardsDecider,
  streams,
  type AcceptedProposal,
  type AllocationState,
  type BallotState,
  type ExistingFund,
  type FundState,
  type PaperBatchState,
  type ProposalState,
  type ResidentState,
} from '@civic/domain';
import { START, type EventStore, type Position, type Start } from '@civic/event-store';
import { loadStream, type Loaded } from '../command-handling/load-stream';
import { toDomainEvent } from '../command-handling/stored-events';
import { foldCategory, readCategories } from './read-category';

/**
 * Every ballot stream folded up to `after`: each read of counted ballots folds only the ballot
 * events appended since, not the whole category again (allocating 21 pots of a city read every
 * ballot of every pot 21 times). One fold per store, shared by every reader of it (the API has
 * several: commands, the bulletin board, the ballots' publication, certificates), so a city's
 * ballots are held in memory once; reads are chained so that one fold runs at a time.
 */
interface BallotFold {
  after: Position | Start;
  readonly states: Map<string, BallotState>;
  caughtUp: Promise<unknown>;
}
const BALLOT_FOLDS = new WeakMap<EventStore, BallotFold>();

/** Funds kept folded in memory; the oldest loaded is dropped past this. */
const MAX_CACHED_FUNDS = 256;

/** A counted ballot: the voter's pseudonym and what they marked. */
export type CountedBallot = Extract<BallotState, { status: 'cast' }>;

/**
 * What handlers read from streams other than the one they write: the contexts of the
 * deciders. Reads straight from the event store, so it is always as fresh as the store.
 */
export class PlatformReader {
  /**
   * Accepted proposals of a fund by pot, kept once voting has opened: review is over, so they
   * cannot change. The read in flight is kept too, so the first ballots of a rush, arriving
   * together in every pot, share one fold of the proposals rather than each folding them all.
   */
  private readonly frozenAccepted = new Map<string, Promise<ReadonlyMap<string, readonly AcceptedProposal[]>>>();

  /** Funds as last loaded: every ballot reads its fund, so only the events after these are read and folded. */
  private readonly funds = new Map<string, Loaded<FundState>>();

  /** Every ballot stream's state, folded incrementally; shared by every reader of the same store. */
  private readonly ballots: BallotFold;

  constructor(private readonly store: EventStore) {
    let fold = BALLOT_FOLDS.get(store);
    if (!fold) BALLOT_FOLDS.set(store, (fold = { after: START, states: new Map(), caughtUp: Promise.resolve() }));
    this.ballots = fold;
  }

  async fund(fundId: string): Promise<ExistingFund> {
    const loaded = await loadStream(this.store, streams.fund(fundId), fundDecider, this.funds.get(fundId));
    if (loaded.revision >= 0) {
      if (this.funds.size >= MAX_CACHED_FUNDS && !this.funds.has(fundId)) this.funds.delete(this.funds.keys().next().value!);
      this.funds.set(fundId, loaded);
    }
    const { state } = loaded;
    return state.status === 'none' ? reject('FUND.NOT_FOUND', 'There is no such fund.') : state;
  }

  /** The borough's configured wards (empty while none are configured). */
  async wards(): Promise<readonly string[]> {
    return (await loadStream(this.store, streams.wards(), wardsDecider)).state.wards;
  }

  async proposal(proposalId: string): Promise<ProposalState> {
    return (await loadStream(this.store, streams.proposal(proposalId), proposalDecider)).state;
  }

  async resident(residentId: string): Promise<ResidentState> {
    return (await loadStream(this.store, streams.resident(residentId), residentDecider)).state;
  }

  async paperBatch(batchId: string): Promise<PaperBatchState> {
    return (await loadStream(this.store, streams.paperBatch(batchId), paperBatchDecider)).state;
  }

  async allocation(potId: string): Promise<AllocationState> {
    return (await loadStream(this.store, streams.allocation(potId), allocationDecider)).state;
  }

  /** The accepted proposals of a pot with their official costs, by proposal id. */
  async acceptedProposals(fund: ExistingFund, potId: string): Promise<readonly AcceptedProposal[]> {
    if (!FROZEN_PHASES.includes(fund.status)) return (await this.readAccepted(fund.fundId)).get(potId) ?? [];
    let kept = this.frozenAccepted.get(fund.fundId);
    if (!kept) {
      this.frozenAccepted.set(fund.fundId, (kept = this.readAccepted(fund.fundId)));
      kept.catch(() => this.frozenAccepted.delete(fund.fundId)); // a failed read is tried again by the next ballot
    }
    return (await kept).get(potId) ?? [];
  }

  /** Every pot's accepted proposals in a fund, each pot's by proposal id. */
  private async readAccepted(fundId: string): Promise<ReadonlyMap<string, readonly AcceptedProposal[]>> {
    const proposals = await foldCategory(this.store, 'proposal', proposalDecider.initialState, proposalDecider.evolve);
    const byPot = new Map<string, AcceptedProposal[]>();
    for (const p of proposals.values()) {
      if (p.status !== 'accepted' || p.fundId !== fundId) continue;
      const list = byPot.get(p.potId) ?? [];
      list.push({ proposalId: p.proposalId, officialCost: p.officialCost, ...(p.number !== undefined && { number: p.number }) });
      byPot.set(p.potId, list);
    }
    for (const list of byPot.values()) list.sort((a, b) => (a.proposalId < b.proposalId ? -1 : a.proposalId > b.proposalId ? 1 : 0));
    return byPot;
  }

  /** The ballots that count in a pot as they stand: the latest of each voter, not withdrawn or voided. */
  async countedBallots(potId: string): Promise<readonly CountedBallot[]> {
    return this.withBallots((states) => {
      const counted: CountedBallot[] = [];
      for (const b of states.values()) if (b.status === 'cast' && b.potId === potId) counted.push(b);
      return counted.sort((a, b) => (a.voter < b.voter ? -1 : a.voter > b.voter ? 1 : 0));
    });
  }

  /** Runs `read` on every ballot stream's state once the fold has caught up with the store as it is now. */
  private withBallots<T>(read: (states: ReadonlyMap<string, BallotState>) => T): Promise<T> {
    const fold = this.ballots;
    const answer = fold.caughtUp.then(async () => {
      for await (const recorded of readCategories(this.store, ['ballot'], undefined, fold.after)) {
        const before = fold.states.get(recorded.streamName) ?? ballotDecider.initialState();
        fold.states.set(recorded.streamName, ballotDecider.evolve(before, toDomainEvent(recorded)));
        fold.after = recorded.position;
      }
      return read(fold.states);
    });
    // A failed read leaves the fold at the last event it applied; the next read goes on from there.
    fold.caughtUp = answer.catch(() => undefined);
    return answer;
  }

  /** The pots of a fund whose allocation has been published. */
  async publishedPotIds(fund: ExistingFund): Promise<string[]> {
    const states = await Promise.all(fund.pots.map(async (pot) => [pot.potId, await this.allocation(pot.potId)] as const));
    return states.filter(([, s]) => s.status === 'published').map(([potId]) => potId);
  }
}
