import { VotingGate } from './voting-gate';

/** A promise the test resolves when it chooses: forced interleavings, no sleeps. */
const latch = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
};
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(VotingGate.name, () => {
  it('lets the close wait for a ballot in flight, and holds back a ballot that arrives after it', async () => {
    const sut = new VotingGate();
    const order: string[] = [];
    const inFlight = latch();
    const first = sut.ballot('f', async () => {
      await inFlight.opened;
      order.push('ballot 1 appended');
    });
    await settle();
    const close = sut.close('f', async () => void order.push('voting closed'));
    await settle();
    const second = sut.ballot('f', async () => void order.push('ballot 2 decided'));
    await settle();
    expect(order).toEqual([]);
    inFlight.open();
    await Promise.all([first, close, second]);
    expect(order).toEqual(['ballot 1 appended', 'voting closed', 'ballot 2 decided']);
  });

  it('does not hold back ballots of another fund', async () => {
    const sut = new VotingGate();
    const closing = latch();
    const close = sut.close('f', () => closing.opened);
    await settle();
    await expect(sut.ballot('g', async () => 'counted')).resolves.toBe('counted');
    closing.open();
    await close;
  });

  it('opens again when a ballot fails', async () => {
    const sut = new VotingGate();
    await expect(sut.ballot('f', async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    await expect(sut.close('f', async () => 'closed')).resolves.toBe('closed');
  });
});
