import type { EventEmitter } from 'node:events';

/**
 * One subscriber's messages on a topic, keeping only the latest not yet taken: a subscriber
 * whose socket is slower than the folds gets the newest message next, not a queue of older
 * ones (a tally message names what moved; its payload is read when it is taken, so an older
 * one queued would only send the same counts again). Listens from its first `next`, as
 * graphql-subscriptions' own iterator does, and stops listening at `return` or `throw`.
 */
export class LatestOnly<T> implements AsyncIterableIterator<T> {
  private listening = false;
  private finished = false;
  private held: { value: T } | undefined;
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private readonly listener = (value: T) => {
    const wake = this.waiting;
    this.waiting = undefined;
    if (wake) wake({ value, done: false });
    else this.held = { value };
  };

  constructor(
    private readonly emitter: EventEmitter,
    private readonly topic: string,
  ) {}

  next(): Promise<IteratorResult<T>> {
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    if (!this.listening) {
      this.listening = true;
      this.emitter.on(this.topic, this.listener);
    }
    const held = this.held;
    this.held = undefined;
    if (held) return Promise.resolve({ value: held.value, done: false });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.held = undefined;
    this.emitter.off(this.topic, this.listener);
    const wake = this.waiting;
    this.waiting = undefined;
    wake?.({ value: undefined, done: true });
  }
}
