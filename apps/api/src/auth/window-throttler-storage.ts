import type { OnModuleDestroy } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

interface Window {
  /** Start of the current window, a multiple of the ttl. */
  start: number;
  ttl: number;
  current: number;
  previous: number;
  blockedUntil: number;
}

/**
 * Rate-limit counters in constant time and memory per client: a sliding-window counter (the
 * current fixed window's hits plus the previous window's, weighted by how much of it still
 * overlaps the last ttl). @nestjs/throttler's default storage keeps one timestamp per hit and
 * filters them on every request, so one busy client (or every anonymous caller behind one
 * address) costs each request time in proportion to its hits in the window.
 *
 * A client over the limit is refused for `blockDuration` (by default the ttl), as with the
 * default storage.
 */
export class WindowThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly windows = new Map<string, Window>();
  private sweeper?: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, _throttlerName: string) {
    const now = this.now();
    const start = now - (now % ttl);
    let w = this.windows.get(key);
    if (!w) {
      w = { start, ttl, current: 0, previous: 0, blockedUntil: 0 };
      this.windows.set(key, w);
      this.sweep(ttl);
    } else if (w.start !== start) {
      w.previous = start - w.start === ttl ? w.current : 0;
      w.current = 0;
      w.start = start;
    }
    const timeToExpire = Math.ceil((start + ttl - now) / 1000);
    const estimate = Math.floor(w.previous * ((start + ttl - now) / ttl)) + w.current;
    if (w.blockedUntil > now || estimate >= limit) {
      if (w.blockedUntil <= now) w.blockedUntil = now + (blockDuration > 0 ? blockDuration : ttl);
      return { totalHits: estimate + 1, timeToExpire, isBlocked: true, timeToBlockExpire: Math.ceil((w.blockedUntil - now) / 1000) };
    }
    w.current++;
    return { totalHits: estimate + 1, timeToExpire, isBlocked: false, timeToBlockExpire: 0 };
  }

  /** Forgets clients idle for two windows and not blocked. */
  private sweep(ttl: number): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => {
      const now = this.now();
      for (const [key, w] of this.windows) if (now - w.start >= 2 * w.ttl && w.blockedUntil <= now) this.windows.delete(key);
    }, ttl);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  /** What is kept for a client (for tests and the bench): a fixed record of numbers. */
  held(key: string): Readonly<Window> | undefined {
    const w = this.windows.get(key);
    return w && { ...w };
  }

  /** Clients currently remembered (for tests). */
  get size(): number {
    return this.windows.size;
  }
}
