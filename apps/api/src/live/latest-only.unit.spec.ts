import { EventEmitter } from 'node:events';
import { LatestOnly } from './latest-only';

describe(LatestOnly.name, () => {
  let emitter: EventEmitter;
  let sut: LatestOnly<number>;

  beforeEach(() => {
    emitter = new EventEmitter();
    sut = new LatestOnly<number>(emitter, 'tally:pot-a');
  });

  it('listens from its first next, and hands a message published while it waits', async () => {
    expect(emitter.listenerCount('tally:pot-a')).toBe(0);
    const next = sut.next();
    expect(emitter.listenerCount('tally:pot-a')).toBe(1);
    emitter.emit('tally:pot-a', 1);
    await expect(next).resolves.toEqual({ value: 1, done: false });
  });

  it('keeps only the latest of the messages published while the subscriber was busy', async () => {
    const first = sut.next();
    emitter.emit('tally:pot-a', 1);
    await first;
    emitter.emit('tally:pot-a', 2);
    emitter.emit('tally:pot-a', 3);
    emitter.emit('tally:pot-b', 99); // another pot's topic
    await expect(sut.next()).resolves.toEqual({ value: 3, done: false });
    const pending = sut.next();
    emitter.emit('tally:pot-a', 4);
    await expect(pending).resolves.toEqual({ value: 4, done: false });
  });

  it('stops listening when the subscription ends, ending a next that waits', async () => {
    const waiting = sut.next();
    await sut.return();
    await expect(waiting).resolves.toEqual({ value: undefined, done: true });
    expect(emitter.listenerCount('tally:pot-a')).toBe(0);
    emitter.emit('tally:pot-a', 5);
    await expect(sut.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it('stops listening when thrown into', async () => {
    const waiting = sut.next();
    const error = new Error('closed');
    await expect(sut.throw(error)).rejects.toBe(error);
    await expect(waiting).resolves.toEqual({ value: undefined, done: true });
    expect(emitter.listenerCount('tally:pot-a')).toBe(0);
  });
});
