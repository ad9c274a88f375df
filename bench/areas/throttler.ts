/**
 * `npm run bench -- throttler [--quick]`: the time of one rate-limit check for a client that
 * already made many hits in the window, for the API's `WindowThrottlerStorage` (a fixed record
 * per client) and for @nestjs/throttler's default `ThrottlerStorageService` (a timestamp per hit,
 * filtered on every check), measured in the same run. Target: the busy client's check costs
 * about what a quiet client's does (ratio quiet / busy ≥ 0.2).
 */
import { ThrottlerStorageService } from '@nestjs/throttler';
import { WindowThrottlerStorage } from '../../apps/api/src/auth/window-throttler-storage';
import { printTable, verdict } from '../table';

const TTL = 60_000;

interface Storage {
  increment(key: string, ttl: number, limit: number, blockDuration: number, name: string): Promise<unknown>;
}

/** Nanoseconds per check after `earlier` hits of the same client. */
async function perHit(make: () => Storage & { stop(): void }, earlier: number, checks: number): Promise<number> {
  const storage = make();
  try {
    for (let i = 0; i < earlier; i++) await storage.increment('busy', TTL, 1e9, TTL, 'default');
    const t = process.hrtime.bigint();
    for (let i = 0; i < checks; i++) await storage.increment('busy', TTL, 1e9, TTL, 'default');
    return Number(process.hrtime.bigint() - t) / checks;
  } finally {
    storage.stop();
  }
}

export async function run(flags: string[]): Promise<void> {
  const quick = flags.includes('--quick');
  const busy = quick ? 20_000 : 200_000;
  // Few checks, so that the quiet client stays quiet (each check is a hit too).
  const checks = quick ? 200 : 2_000;
  const storages: [string, () => Storage & { stop(): void }][] = [
    [
      'WindowThrottlerStorage (API)',
      () => {
        const s = new WindowThrottlerStorage();
        return Object.assign(s, { stop: () => s.onModuleDestroy() });
      },
    ],
    [
      '@nestjs/throttler default',
      () => {
        const s = new ThrottlerStorageService();
        return Object.assign(s, { stop: () => s.onApplicationShutdown() });
      },
    ],
  ];
  const rows: (string | number)[][] = [];
  for (const [name, make] of storages) {
    await perHit(make, 1000, checks); // warm up
    const quiet = await perHit(make, 10, checks);
    const loaded = await perHit(make, busy, checks);
    rows.push([name, quiet.toFixed(0), loaded.toFixed(0), verdict(quiet / loaded, 0.2)]);
  }
  printTable(['storage', 'ns/check, 10 earlier hits', `ns/check, ${busy} earlier hits`, 'quiet / busy'], rows);
}
