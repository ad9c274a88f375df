import { WindowThrottlerStorage } from './window-throttler-storage';

const TTL = 60_000;

describe('WindowThrottlerStorage', () => {
  let now: number;
  let storage: WindowThrottlerStorage;
  const hit = (key = 'subject:a', limit = 3, block = TTL) => storage.increment(key, TTL, limit, block, 'per-client');
  beforeEach(() => {
    now = 10 * TTL;
    storage = new WindowThrottlerStorage(() => now);
  });
  afterEach(() => storage.onModuleDestroy());

  it('counts hits up to the limit, then refuses for the block duration', async () => {
    expect((await hit()).totalHits).toBe(1);
    expect((await hit()).totalHits).toBe(2);
    expect(await hit()).toEqual({ totalHits: 3, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    now += 30_000;
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
    now += 60_000; // the block is over and the earlier hits weigh half
    expect((await hit()).isBlocked).toBe(false);
  });

  it('keeps clients apart', async () => {
    for (let i = 0; i < 3; i++) await hit('subject:a');
    expect((await hit('subject:a')).isBlocked).toBe(true);
    expect((await hit('subject:b')).isBlocked).toBe(false);
  });

  it('slides: the previous window weighs by how much of it is still within the ttl', async () => {
    for (let i = 0; i < 10; i++) expect((await hit('k', 10, 1)).isBlocked).toBe(false);
    now += TTL; // next window starts: the previous ten still count in full
    expect((await hit('k', 10, 1)).isBlocked).toBe(true);
    now += TTL / 2; // half of the previous window left: five count
    const results = [];
    for (let i = 0; i < 6; i++) results.push((await hit('k', 10, 1)).isBlocked);
    expect(results).toEqual([false, false, false, false, false, true]);
    now += 2 * TTL; // two windows later nothing is left
    expect((await hit('k', 10, 1)).totalHits).toBe(1);
  });

  // Time per hit is measured by `npm run bench -- throttler`, against @nestjs/throttler's storage.
  it('holds the same few numbers per client however many hits it made: nothing grows, nothing to filter per hit', async () => {
    const held = async (hits: number) => {
      const s = new WindowThrottlerStorage(() => now);
      for (let i = 0; i < hits; i++) await s.increment('busy', TTL, 1e9, TTL, 'x');
      const window = s.held('busy');
      s.onModuleDestroy();
      return window;
    };
    const few = await held(10);
    const many = await held(200_000);
    expect(many).toMatchObject({ current: 200_000, previous: 0 });
    expect(Object.keys(many!)).toEqual(Object.keys(few!));
    for (const value of Object.values(many!)) expect(typeof value).toBe('number');
  });

  it('forgets clients idle for two windows', async () => {
    jest.useFakeTimers({ now });
    try {
      storage = new WindowThrottlerStorage(() => now);
      await hit('idle');
      await hit('busy');
      now += 2 * TTL;
      await hit('busy');
      jest.advanceTimersByTime(TTL);
      expect(storage.size).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
