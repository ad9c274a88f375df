import { InMemoryEventStore, type EventStore } from '@civic/event-store';
import { BOROUGH_POT, createHarness, FUND_ID, registerCsv, SAMPLE_PROPOSALS, WARD_POT } from '../testing/harness';
import { PlatformReader } from './platform-reader';

/** A store that counts the category reads made through it. */
function counting(store: EventStore) {
  const counted = { reads: 0 };
  const proxy = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (name !== 'readAll') return typeof value === 'function' ? value.bind(target) : value;
      return (...args: Parameters<EventStore['readAll']>) => {
        counted.reads++;
        return target.readAll(...args);
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
});
