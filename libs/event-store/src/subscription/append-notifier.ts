/**
 * Wakes subscribers when events are committed, without lost wake-ups: a waiter passes the
 * version it saw before its last read, and returns at once if an append has happened since.
 */
export class AppendNotifier {
  private version = 0;
  private waiters = new Set<() => void>();

  get current(): number {
    return this.version;
  }

  /** How many subscribers wait for the next append now (for metrics and tests). */
  get waiting(): number {
    return this.waiters.size;
  }

  notify(): void {
    this.version++;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /**
   * Resolves when the version moves past `seen`, when `signal` aborts, or after `timeoutMs`
   * (the fallback that notices writers in other processes).
   */
  wait(seen: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.version !== seen || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }
}
