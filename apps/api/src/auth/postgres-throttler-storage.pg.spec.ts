import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PostgresThrottlerStorage } from './postgres-throttler-storage';
import { WindowThrottlerStorage } from './window-throttler-storage';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `test_rate_${randomBytes(4).toString('hex')}`;
const MINUTE = 60_000;

let clock = 10 * MINUTE;
const now = () => clock;
/** Two API nodes' counters on one table. */
let a: PostgresThrottlerStorage;
let b: PostgresThrottlerStorage;

beforeAll(() => {
  a = new PostgresThrottlerStorage({ connectionString: DATABASE_URL, schema, now });
  b = new PostgresThrottlerStorage({ connectionString: DATABASE_URL, schema, now });
});
afterAll(async () => {
  await Promise.all([a?.onModuleDestroy(), b?.onModuleDestroy()]);
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

describe(PostgresThrottlerStorage.name, () => {
  it('gives a client spreading its requests over two nodes the limit once, not once per node', async () => {
    const answers = [];
    for (let i = 0; i < 14; i++) answers.push(await (i % 2 ? a : b).increment('client-1', MINUTE, 10, 0, 'per-client'));
    expect(answers.map((r) => r.isBlocked)).toEqual([...Array(10).fill(false), ...Array(4).fill(true)]);
    expect(answers.slice(0, 10).map((r) => r.totalHits)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(answers[13].timeToBlockExpire).toBe(60);
  });

  it('counts exactly the limit when hits of one client reach both nodes at once', async () => {
    const all = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).increment('client-2', MINUTE, 25, 0, 'per-client')));
    expect(all.filter((r) => !r.isBlocked)).toHaveLength(25);
    expect(new Set(all.filter((r) => !r.isBlocked).map((r) => r.totalHits)).size).toBe(25); // each allowed hit saw its own count
  });

  it('answers as the single-node counter does through windows, weights and blocks', async () => {
    const local = new WindowThrottlerStorage(now);
    const start = (clock = 100 * MINUTE);
    const steps: { at: number; hits: number }[] = [
      { at: 0, hits: 7 },
      { at: 50_000, hits: 2 },
      { at: 70_000, hits: 6 }, // the previous window still weighs (50 of its 60 s overlap)
      { at: 150_000, hits: 3 }, // blocked until 130 s, then the old window has gone
      { at: 250_000, hits: 4 }, // two windows later: nothing remembered
    ];
    for (const step of steps) {
      clock = start + step.at;
      for (let i = 0; i < step.hits; i++) {
        const [shared, single] = [await a.increment('client-3', MINUTE, 8, 0, 'x'), await local.increment('client-3', MINUTE, 8, 0, 'x')];
        expect({ at: step.at, i, ...shared }).toEqual({ at: step.at, i, ...single });
      }
    }
    local.onModuleDestroy();
  });
});
