import { PROPOSAL_NUMBERS_FOLDED, proposalNumbersDecider, streams } from '@civic/domain';
import {
  InMemoryEventStore,
  type AppendOptions,
  type AppendResult,
  type EventData,
  type ReadStreamOptions,
  type RecordedEvent,
  WrongExpectedVersionError,
} from '@civic/event-store';
import { loadStream } from '../command-handling/load-stream';
import { ImportRegisterCommand } from '../resident/import-register';
import { createHarness, FUND_ID, registerCsv, STAFF, TIMES, WARD_POT } from '../testing/harness';
import { RunProposalCommand, RunProposalCommandHandler } from './run-proposal-command';

/**
 * Holds the first `size` appends to a fund's proposal-number stream until all of them have
 * arrived: every reviewer has then read the same head and decided the same next number, the
 * worst interleaving there is. Later appends (the losers' retries) pass straight through.
 */
class NumberRace extends InMemoryEventStore {
  private held: (() => void)[] = [];
  private open = false;
  constructor(private readonly size: number) {
    super();
  }

  override async append(streamName: string, events: readonly EventData[], options?: AppendOptions): Promise<AppendResult> {
    if (!this.open && streamName.startsWith('proposalnumbers-')) {
      await new Promise<void>((release) => {
        this.held.push(release);
        if (this.held.length === this.size) {
          this.open = true;
          this.held.forEach((go) => go());
        }
      });
    }
    return super.append(streamName, events, options);
  }
}

/** Counts the events read back from proposal-number streams, and the appends there refused for a stale revision. */
class CountingReads extends InMemoryEventStore {
  numbersRead = 0;
  numberConflicts = 0;
  override async append(streamName: string, events: readonly EventData[], options?: AppendOptions): Promise<AppendResult> {
    try {
      return await super.append(streamName, events, options);
    } catch (error) {
      if (streamName.startsWith('proposalnumbers-') && error instanceof WrongExpectedVersionError) this.numberConflicts++;
      throw error;
    }
  }
  override async readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const events = await super.readStream(streamName, options);
    if (streamName.startsWith('proposalnumbers-')) this.numbersRead += events.length;
    return events;
  }
}

describe('proposal numbers under concurrent acceptance', () => {
  const REVIEWERS = 12;

  const fundInReview = async (store: InMemoryEventStore, proposals = REVIEWERS) => {
    const h = createHarness(store);
    const schedule = {
      proposalsOpenAt: TIMES.proposalsOpen,
      reviewStartsAt: TIMES.review,
      votingOpensAt: TIMES.votingOpens,
      votingClosesAt: TIMES.votingCloses,
    };
    await h.fund('CreateFund', { fundId: FUND_ID, name: 'Fund', description: 'd', currency: 'GBP', schedule, minimumAge: 16 });
    await h.fund('AddPot', { fundId: FUND_ID, pot: WARD_POT });
    await h.handlers.importRegister.execute(new ImportRegisterCommand(registerCsv(1), h.input(STAFF.admin)));
    const author = await h.resident('TH000000');
    h.clock.set(TIMES.proposalsOpen);
    await h.fund('OpenProposals');
    const ids = Array.from({ length: proposals }, (_, i) => `idea-${i}`);
    for (const id of ids) {
      const content = { title: id, summary: id, description: id, category: 'streets', estimatedCost: 1_000_00 };
      await h.handlers.proposals.execute(
        new RunProposalCommand('SubmitProposal', { proposalId: id, fundId: FUND_ID, potId: WARD_POT.potId, ...content }, h.input(author)),
      );
    }
    h.clock.set(TIMES.review);
    await h.fund('StartReview');
    return { h, ids };
  };
  const accept = (h: ReturnType<typeof createHarness>, id: string, commandId?: string, handler = h.handlers.proposals) =>
    handler.execute(new RunProposalCommand('AcceptProposal', { proposalId: id, officialCost: 900_00 }, h.input(STAFF.reviewer, commandId)));

  it('gives reviewers accepting at once on as many API nodes distinct numbers, 1 to n, with no gap', async () => {
    const { h, ids } = await fundInReview(new NumberRace(REVIEWERS));
    // One handler per node: a node's own reviewers take turns, those of different nodes race.
    await Promise.all(ids.map((id) => accept(h, id, undefined, new RunProposalCommandHandler(h.runtime))));
    const states = await Promise.all(ids.map((id) => h.runtime.reader.proposal(id)));
    const numbers = states.map((s) => (s.status === 'accepted' ? s.number : undefined));
    expect([...numbers].sort((a, b) => a! - b!)).toEqual(Array.from({ length: REVIEWERS }, (_, i) => i + 1));
    const reserved = (await loadStream(h.store, streams.proposalNumbers(FUND_ID), proposalNumbersDecider)).state;
    expect(ids.map((id) => reserved.byProposal.get(id))).toEqual(numbers);
  });

  it('answers a retried acceptance with the same number and reserves nothing more', async () => {
    const { h, ids } = await fundInReview(new InMemoryEventStore());
    await accept(h, ids[0], '00000000-0000-4000-8000-000000000001');
    const retry = await accept(h, ids[0], '00000000-0000-4000-8000-000000000001');
    expect(retry.alreadyHandled).toBe(true);
    const numbers = await h.store.readStream(streams.proposalNumbers(FUND_ID));
    expect(numbers.map((e) => e.data)).toEqual([{ fundId: FUND_ID, proposalId: ids[0], number: 1 }]);
  });

  it('uses up no number on an acceptance the rules refuse', async () => {
    const { h, ids } = await fundInReview(new InMemoryEventStore());
    await expect(
      h.handlers.proposals.execute(
        new RunProposalCommand('AcceptProposal', { proposalId: ids[0], officialCost: WARD_POT.budget + 1 }, h.input(STAFF.reviewer)),
      ),
    ).rejects.toMatchObject({ code: 'PROPOSAL.OVER_POT_BUDGET' });
    expect(await h.store.readStream(streams.proposalNumbers(FUND_ID))).toEqual([]);
    await accept(h, ids[1]);
    expect(await h.runtime.reader.proposal(ids[1])).toMatchObject({ status: 'accepted', number: 1 });
  });

  it('lets reviewers accepting at once on one node take turns for numbers, with no conflict to retry', async () => {
    const store = new CountingReads();
    const { h, ids } = await fundInReview(store);
    await Promise.all(ids.map((id) => accept(h, id)));
    expect(store.numberConflicts).toBe(0);
    const numbers = await Promise.all(ids.map(async (id) => ((await h.runtime.reader.proposal(id)) as { number?: number }).number));
    expect(numbers.sort((a, b) => a! - b!)).toEqual(Array.from({ length: REVIEWERS }, (_, i) => i + 1));
  });

  it('gives two reviewers accepting the same proposal at once one number: one acceptance wins, the other is refused', async () => {
    const { h, ids } = await fundInReview(new NumberRace(2));
    const outcomes = await Promise.allSettled([
      accept(h, ids[0], undefined, new RunProposalCommandHandler(h.runtime)),
      accept(h, ids[0], undefined, new RunProposalCommandHandler(h.runtime)),
    ]);
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code: string }).code : 'accepted')).sort()).toEqual([
      'PROPOSAL.ALREADY_REVIEWED',
      'accepted',
    ]);
    expect((await h.store.readStream(streams.proposalNumbers(FUND_ID))).map((e) => e.data)).toEqual([
      { fundId: FUND_ID, proposalId: ids[0], number: 1 },
    ]);
    await accept(h, ids[1]);
    expect(await h.runtime.reader.proposal(ids[1])).toMatchObject({ status: 'accepted', number: 2 });
  });

  it("reads no more of the fund's numbers for its last acceptance than for its first", async () => {
    const count = PROPOSAL_NUMBERS_FOLDED * 3;
    const store = new CountingReads();
    const { h, ids } = await fundInReview(store, count);
    const reads: number[] = [];
    for (const id of ids) {
      const before = store.numbersRead;
      await accept(h, id);
      reads.push(store.numbersRead - before);
    }
    expect(await h.runtime.reader.proposal(ids[count - 1])).toMatchObject({ status: 'accepted', number: count });
    expect(Math.max(...reads)).toBeLessThanOrEqual(PROPOSAL_NUMBERS_FOLDED);
  });
});
