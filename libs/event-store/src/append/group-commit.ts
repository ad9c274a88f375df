/** The outcome of one request inside a shared commit. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

export interface GroupCommitOptions {
  /** Most requests per shared transaction. @defaultValue 512 */
  readonly maxBatch?: number;
}

/**
 * Group commit: requests that arrive while the previous commit is in flight (or in the same
 * turn of the event loop) are committed together, in one transaction with one sync, while each
 * keeps its own checks and gets its own result. `commit` runs one batch at a time, in order,
 * and returns one outcome per request; if it throws, the whole batch failed and every request
 * in it is rejected with that error (nothing of it was committed).
 */
export class GroupCommitter<Req, Res> {
  private queue: Array<{ req: Req; resolve: (r: Res) => void; reject: (e: unknown) => void }> = [];
  private running = false;
  private idle: Array<() => void> = [];
  private readonly maxBatch: number;

  constructor(
    private readonly commit: (batch: readonly Req[]) => Promise<Outcome<Res>[]> | Outcome<Res>[],
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 512;
  }

  submit(req: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Yield one turn of the event loop so that requests arriving together share the commit.
        setImmediate(() => void this.run());
      }
    });
  }

  /** Resolves once every request submitted so far has been committed or rejected. */
  drain(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async run(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const outcomes = await this.commit(batch.map((b) => b.req));
        batch.forEach((b, i) => {
          const o = outcomes[i];
          if (o.ok) b.resolve(o.value);
          else b.reject(o.error);
        });
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
      if (this.queue.length > 0) await new Promise((r) => setImmediate(r));
    }
    this.running = false;
    const idle = this.idle;
    this.idle = [];
    for (const wake of idle) wake();
  }
}
