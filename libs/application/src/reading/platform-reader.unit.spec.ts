import { randomUUID } from 'node:crypto';
import {
  ballotDecider,
  streams,
  type BallotContent,
  type BallotEvent,
  type BallotState,
  type CastBallot,
  type ReplaceBallot,
} from '@civic/domain';
import { InMemoryEventStore, type EventStore, type JsonObject } from '@civic/event-store';
import { RunBallotCommand } from '../ballot/run-ballot-command';
import { toDomainEvent } from '../command-handling/stored-events';
import { BOROUGH_POT, createHarness, FUND_ID, knapsack, registerCsv, RESIDENT, SAMPLE_PROPOSALS, WARD_POT } from '../testing/harness';
import { PlatformReader } from './platform-reader';

/** A store that counts the category reads made through it, and the events they answered. */
function counting(store: EventStore) {
  const counted = { reads: 0, events: 0 };
  const proxy = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (name !== 'readAll') return typeof value === 'function' ? value.bind(target) : value;
      return (...args: Parameters<EventStore['readAll']>) => {
        counted.reads++;
        return target.readAll(...args).then((page) => {
          counted.events += page.length;
          return page;
        });
      };
    },
  });
  return { store: proxy, counted };
}

describe(PlatformReader.name, () => {
  it('folds a fund’s proposals once for ballots arriving together in all its pots once voting is open, each pot its own', async () => {
    const harness = createHarness(new InMemoryEventStore());
    await harness.openVoting(registerCsv(3), SAMPLE_PROPOSALS);
    const { store, counted } = counting(harness.store);
    const sut = new PlatformReader(store);
    const fund = await sut.fund(FUND_ID);
    const reads = counted.reads;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => sut.acceptedProposals(fund, i % 2 ? WARD_POT.potId : BOROUGH_POT.potId)),
    );
    expect(counted.reads - reads).toBe(1);
    expect(answers[0].map((p) => p.proposalId)).toEqual(['library']);
    expect(answers[1].map((p) => p.proposalId)).toEqual(['benches', 'lights', 'trees']);
    expect(await sut.acceptedProposals(fund, 'no-such-pot')).toEqual([]);
    expect(counted.reads - reads).toBe(1);
  });

  it('reads a fund’s proposals afresh on every call while review may still change them', async () => {
    const harness = createHarness(new InMemoryEventStore());
    await harness.openProposals(registerCsv(3));
    const { store, counted } = counting(harness.store);
    const sut = new PlatformReader(store);
    const fund = await sut.fund(FUND_ID);
    const reads = counted.reads;
    await Promise.all([sut.acceptedProposals(fund, WARD_POT.potId), sut.acceptedProposals(fund, WARD_POT.potId)]);
    expect(counted.reads - reads).toBe(2);
  });

  describe('counted ballots', () => {
    const ward = { fundId: FUND_ID, potId: WARD_POT.potId };
    const ballot = (type: 'CastBallot' | 'ReplaceBallot', reference: string, ...ids: string[]) =>
      new RunBallotCommand<CastBallot | ReplaceBallot>(
        type,
        { ...ward, voter: { reference }, content: knapsack(...ids) },
        {
          commandId: randomUUID(),
          actor: RESIDENT,
        },
      );
    const contents = (ballots: Awaited<ReturnType<PlatformReader['countedBallots']>>) =>
      ballots.map((b) => (b.content.kind === 'cumulative' ? [] : b.content.proposalIds).join('+')).sort();

    it('folds only the ballot events appended since its last read, and sees every one of them', async () => {
      const harness = createHarness(new InMemoryEventStore());
      await harness.openVoting(registerCsv(4), SAMPLE_PROPOSALS);
      const { store, counted } = counting(harness.store);
      const sut = new PlatformReader(store);
      await harness.handlers.ballots.execute(ballot('CastBallot', 'TH000000', 'benches'));
      await harness.handlers.ballots.execute(ballot('CastBallot', 'TH000001', 'trees'));
      expect(contents(await sut.countedBallots(WARD_POT.potId))).toEqual(['benches', 'trees']);
      expect(await sut.countedBallots(BOROUGH_POT.potId)).toEqual([]);

      const events = counted.events;
      await harness.handlers.ballots.execute(ballot('ReplaceBallot', 'TH000000', 'lights'));
      await harness.handlers.ballots.execute(ballot('CastBallot', 'TH000002', 'benches', 'trees'));
      expect(contents(await sut.countedBallots(WARD_POT.potId))).toEqual(['benches+trees', 'lights', 'trees']);
      expect(counted.events - events).toBe(2);
      // A fresh reader, folding everything, agrees.
      expect(await sut.countedBallots(WARD_POT.potId)).toEqual(await new PlatformReader(harness.store).countedBallots(WARD_POT.potId));
    });

    it('answers reads made together from one fold, each after every ballot appended before it was asked', async () => {
      const harness = createHarness(new InMemoryEventStore());
      await harness.openVoting(registerCsv(4), SAMPLE_PROPOSALS);
      const { store, counted } = counting(harness.store);
      const sut = new PlatformReader(store);
      await harness.handlers.ballots.execute(ballot('CastBallot', 'TH000000', 'benches'));
      const first = sut.countedBallots(WARD_POT.potId);
      const second = sut.countedBallots(WARD_POT.potId);
      // Appended while the first two reads are pending: the third, asked after, must see it.
      const appended = harness.handlers.ballots.execute(ballot('CastBallot', 'TH000001', 'trees'));
      await appended;
      const third = sut.countedBallots(WARD_POT.potId);
      const [a, b, c] = await Promise.all([first, second, third]);
      // The first two may or may not see the ballot appended while they were pending.
      expect([['benches'], ['benches', 'trees']]).toContainEqual(contents(a));
      expect([['benches'], ['benches', 'trees']]).toContainEqual(contents(b));
      expect(contents(c)).toEqual(['benches', 'trees']);
      // Every ballot event was answered once by the store, however many reads there were.
      expect(counted.events).toBe((await harness.store.readAll({ filter: { streamCategories: ['ballot'] } })).length);
    });

    it('keeps one fold per store, however many readers read it: a second reader folds only what the first has not', async () => {
      const harness = createHarness(new InMemoryEventStore());
      await harness.openVoting(registerCsv(4), SAMPLE_PROPOSALS);
      const { store, counted } = counting(harness.store);
      await harness.handlers.ballots.execute(ballot('CastBallot', 'TH000000', 'benches'));
      await harness.handlers.ballots.execute(ballot('CastBallot', 'TH000001', 'trees'));
      const one = new PlatformReader(store);
      const other = new PlatformReader(store);
      expect(contents(await one.countedBallots(WARD_POT.potId))).toEqual(['benches', 'trees']);
      const events = counted.events;
      await harness.handlers.ballots.execute(ballot('ReplaceBallot', 'TH000001', 'lights'));
      expect(contents(await other.countedBallots(WARD_POT.potId))).toEqual(['benches', 'lights']);
      expect(counted.events - events).toBe(1);
      expect(contents(await one.countedBallots(WARD_POT.potId))).toEqual(['benches', 'lights']);
      expect(counted.events - events).toBe(1);
    });

    it('answers every pot exactly as folding each ballot stream with the ballot decider would, whatever the marks', async () => {
      const store = new InMemoryEventStore();
      // A small deterministic generator: the same history on every run.
      let seed = 7;
      const draw = (n: number) => ((seed = (seed * 48271) % 2147483647), seed % n);
      const ids = Array.from({ length: 150 }, (_, i) => `proposal-${i}`);
      const pots = ['pot-a', 'pot-b', 'pot-a-b'];
      const marks = (kind: number): BallotContent => {
        const picked = [...new Set(Array.from({ length: 1 + draw(150) }, () => ids[draw(ids.length)]))];
        if (kind === 0) return { kind: 'approval', proposalIds: picked };
        if (kind === 1) return { kind: 'knapsack', proposalIds: picked };
        // Points past what a char code holds, and surrogate-range numbers, must come back as they were.
        return {
          kind: 'cumulative',
          points: picked.map((proposalId) => ({ proposalId, points: [1, 3, 0xd800, 0xdc00, 70_000][draw(5)] })),
        };
      };
      const sut = new PlatformReader(store);
      for (let i = 0; i < 600; i++) {
        const potId = pots[draw(pots.length)];
        const voter = `voter-${draw(120)}`;
        const ref = { fundId: FUND_ID, potId, voter };
        const roll = draw(10);
        const content =
          roll === 9
            ? // A field beyond the known ones (an older or foreign event) is kept, not dropped.
              ({ kind: 'approval', proposalIds: [ids[draw(ids.length)]], note: 'x' } as unknown as BallotContent)
            : marks(pots.indexOf(potId));
        const event =
          roll < 5
            ? { type: 'BallotCast', data: { ...ref, content, source: { channel: 'online' } } }
            : roll < 7 || roll === 9
              ? { type: 'BallotReplaced', data: { ...ref, content, source: { channel: 'paper', batchId: 'b', entryNo: i } } }
              : roll === 7
                ? { type: 'BallotWithdrawn', data: ref }
                : { type: 'BallotVoided', data: { ...ref, reason: 'a duplicate' } };
        await store.append(streams.ballot(potId, voter), [
          { id: randomUUID(), ...(event as unknown as { type: string; data: JsonObject }), metadata: { commandId: randomUUID() } },
        ]);
        // Read part way through too: the fold goes on from where it was.
        if (i % 97 === 0) await sut.countedBallots(pots[0]);
      }
      const states = new Map<string, BallotState>();
      for (const e of await store.readAll({ filter: { streamCategories: ['ballot'] } }))
        states.set(
          e.streamName,
          ballotDecider.evolve(states.get(e.streamName) ?? ballotDecider.initialState(), toDomainEvent<BallotEvent>(e)),
        );
      for (const potId of pots) {
        const expected = [...states.values()]
          .flatMap((b) => (b.status === 'cast' && b.potId === potId ? [{ voter: b.voter, content: b.content }] : []))
          .sort((a, b) => (a.voter < b.voter ? -1 : 1));
        expect(expected.length).toBeGreaterThan(10);
        expect(await sut.countedBallots(potId)).toStrictEqual(expected);
        expect(await new PlatformReader(new InMemoryEventStore()).countedBallots(potId)).toEqual([]);
      }
    });
  });
});
