import {
  allocationDecider,
  FROZEN_PHASES,
  fundDecider,
  paperBatchDecider,
  proposalDecider,
  reject,
  residentDecider,
  unreachable,
  wardsDecider,
  streams,
  type AcceptedProposal,
  type AllocationState,
  type BallotContent,
  type BallotEvent,
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
 * Every pot's counted ballots, folded up to `after`: each read of counted ballots folds only the
 * ballot events appended since, not the whole category again (allocating 21 pots of a city read
 * every ballot of every pot 21 times). One fold per store, shared by every reader of it (the API
 * has several: commands, the bulletin board, the ballots' publication, certificates), so a city's
 * ballots are held in memory once; reads are chained so that one fold runs at a time.
 *
 * It keeps only what counts: per pot, each voter's latest marks (a withdrawal or a void removes
 * them), packed by `packMarks`. A ballot stream is one voter's in one pot (`ballot-<pot>-<voter>`),
 * so the pot and voter of its events name it.
 */
interface BallotFold {
  after: Position | Start;
  /** Per pot, each voter's counted marks by pseudonym. */
  readonly pots: Map<string, Map<string, PackedMarks>>;
  /** Every proposal id the packed marks name, by the number they are packed as. */
  readonly proposalIds: string[];
  readonly proposalNumbers: Map<string, number>;
  caughtUp: Promise<unknown>;
}
const BALLOT_FOLDS = new WeakMap<EventStore, BallotFold>();

/**
 * A ballot's marks in the fold: a short string of char codes (the kind, then each proposal's
 * number in `proposalIds`, and for cumulative ballots each one's points), some 30 bytes where the
 * parsed content object with its own copy of every proposal id is some 400. Hand-written: a city's
 * ballots are the fold's whole size. Marks that do not pack exactly (a field beyond the known
 * ones, a number past 0xffff) are kept as they are, so unpacking always gives back equal content.
 */
type PackedMarks = string | BallotContent;

const KINDS = ['approval', 'knapsack', 'cumulative'] as const;
const fits = (n: number) => Number.isInteger(n) && n >= 0 && n <= 0xffff;
const keysAre = (value: object, ...keys: string[]) => {
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((k) => own.includes(k));
};

function packMarks(fold: BallotFold, content: BallotContent): PackedMarks {
  const kind = KINDS.indexOf(content.kind);
  const numberOf = (id: unknown) => {
    if (typeof id !== 'string') return -1;
    let n = fold.proposalNumbers.get(id);
    if (n === undefined) {
      n = fold.proposalIds.push(id) - 1;
      fold.proposalNumbers.set(id, n);
    }
    return n;
  };
  const codes = [kind];
  if (content.kind === 'cumulative') {
    if (!keysAre(content, 'kind', 'points') || !Array.isArray(content.points)) return content;
    for (const p of content.points) {
      if (typeof p !== 'object' || p === null || !keysAre(p, 'proposalId', 'points')) return content;
      codes.push(numberOf(p.proposalId), p.points);
    }
  } else {
    if (kind < 0 || !keysAre(content, 'kind', 'proposalIds') || !Array.isArray(content.proposalIds)) return content;
    for (const id of content.proposalIds) codes.push(numberOf(id));
  }
  return codes.every(fits) ? String.fromCharCode(...codes) : content;
}

function unpackMarks(fold: BallotFold, marks: PackedMarks): BallotContent {
  if (typeof marks !== 'string') return marks;
  const kind = KINDS[marks.charCodeAt(0)];
  const codes: number[] = [];
  for (let i = 1; i < marks.length; i++) codes.push(marks.charCodeAt(i));
  if (kind !== 'cumulative') return { kind, proposalIds: codes.map((n) => fold.proposalIds[n]) };
  const points: { proposalId: string; points: number }[] = [];
  for (let i = 0; i < codes.length; i += 2) points.push({ proposalId: fold.proposalIds[codes[i]], points: codes[i + 1] });
  return { kind, points };
}

/** Applies one ballot event to the fold, as `ballotDecider.evolve` would to its stream: cast and replaced count, withdrawn and voided do not. */
function foldBallot(fold: BallotFold, event: BallotEvent): void {
  const { potId, voter } = event.data;
  let pot = fold.pots.get(potId);
  switch (event.type) {
    case 'BallotCast':
    case 'BallotReplaced':
      if (!pot) fold.pots.set(potId, (pot = new Map()));
      pot.set(voter, packMarks(fold, event.data.content));
      return;
    case 'BallotWithdrawn':
    case 'BallotVoided':
      pot?.delete(voter);
      return;
    default:
      return unreachable(event);
  }
}

/** Funds kept folded in memory; the oldest loaded is dropped past this. */
const MAX_CACHED_FUNDS = 256;

/** A counted ballot: the voter's pseudonym and what they marked. */
export interface CountedBallot {
  readonly voter: string;
  readonly content: BallotContent;
}

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
    if (!fold)
      BALLOT_FOLDS.set(
        store,
        (fold = { after: START, pots: new Map(), proposalIds: [], proposalNumbers: new Map(), caughtUp: Promise.resolve() }),
      );
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

  /** The ballots that count in a pot as they stand: the latest of each voter, not withdrawn or voided, by pseudonym. */
  async countedBallots(potId: string): Promise<readonly CountedBallot[]> {
    return this.withBallots((fold) => {
      const counted: CountedBallot[] = [];
      for (const [voter, marks] of fold.pots.get(potId) ?? []) counted.push({ voter, content: unpackMarks(fold, marks) });
      return counted.sort((a, b) => (a.voter < b.voter ? -1 : a.voter > b.voter ? 1 : 0));
    });
  }

  /** Runs `read` on the fold once it has caught up with the store as it is now. */
  private withBallots<T>(read: (fold: BallotFold) => T): Promise<T> {
    const fold = this.ballots;
    const answer = fold.caughtUp.then(async () => {
      for await (const recorded of readCategories(this.store, ['ballot'], undefined, fold.after)) {
        foldBallot(fold, toDomainEvent<BallotEvent>(recorded));
        fold.after = recorded.position;
      }
      return read(fold);
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
