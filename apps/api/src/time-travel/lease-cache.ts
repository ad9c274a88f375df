/** A value held by a request; `release` once done with it (exactly once). */
export interface Lease<T> {
  readonly value: T;
  release(): void;
}

interface Entry<T> {
  readonly ready: Promise<T>;
  value?: T;
  bytes: number;
  refs: number;
  evicted: boolean;
}

export interface LeaseCacheOptions<T> {
  /** Most entries kept. */
  readonly maxEntries: number;
  /** Most bytes kept (as `size` counts them); the newest entry is kept even if it alone is larger. */
  readonly maxBytes: number;
  readonly size: (value: T) => number;
  readonly close: (value: T) => void;
}

/**
 * A bounded cache of closeable values (least recently used out first) whose eviction is safe:
 * an evicted value is closed only when no lease on it is left, so a request that holds one
 * never finds it closed under it. Requests for a key being built share the build.
 */
export class LeaseCache<K, T> {
  private readonly entries = new Map<K, Entry<T>>();
  private bytes = 0;

  constructor(private readonly options: LeaseCacheOptions<T>) {}

  /** Entries now held, and their bytes (for metrics and tests). */
  get stats(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  /** A lease on the cached value, or undefined when `key` is neither cached nor being built. */
  hit(key: K): Promise<Lease<T>> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key); // re-inserted: now the most recently used
    this.entries.set(key, entry);
    entry.refs++;
    return this.leaseWhenReady(entry);
  }

  /** Builds, caches and leases the value for `key` (which must not be cached). */
  build(key: K, make: () => Promise<T>): Promise<Lease<T>> {
    const entry: Entry<T> = { ready: make(), bytes: 0, refs: 1, evicted: false };
    this.entries.set(key, entry);
    entry.ready.then(
      (value) => {
        entry.value = value;
        if (entry.evicted) return;
        entry.bytes = this.options.size(value);
        this.bytes += entry.bytes;
        this.shrink(key);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return this.leaseWhenReady(entry);
  }

  /** Evicts everything (closing what no lease holds). */
  clear(): void {
    for (const key of [...this.entries.keys()]) this.evict(key);
  }

  private async leaseWhenReady(entry: Entry<T>): Promise<Lease<T>> {
    let value: T;
    try {
      value = await entry.ready;
    } catch (err) {
      entry.refs--;
      throw err;
    }
    let released = false;
    return {
      value,
      release: () => {
        if (released) return;
        released = true;
        if (--entry.refs === 0 && entry.evicted) this.options.close(value);
      },
    };
  }

  private shrink(keep: K): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEntries && this.bytes <= this.options.maxBytes) return;
      if (key !== keep) this.evict(key);
    }
  }

  private evict(key: K): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    entry.evicted = true;
    this.bytes -= entry.bytes;
    if (entry.refs === 0 && entry.value !== undefined) this.options.close(entry.value);
    // Still building, or leased: closed by the last release (a build that ends evicted, unleased, is closed below).
    else if (entry.value === undefined)
      void entry.ready.then(
        (value) => entry.refs === 0 && this.options.close(value),
        () => undefined,
      );
  }
}
