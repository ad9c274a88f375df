import { PostgresSessionStore, revokedSessionsChannel } from './postgres-session-store';
import { sessionStoreContract } from '../testing/session-store.contract';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `sessions_${process.pid}_${Date.now() % 100000}`;
sessionStoreContract(PostgresSessionStore.name, async () => new PostgresSessionStore({ connectionString: url, schema }));

afterAll(async () => {
  const { Pool } = await import('pg');
  const pool = new Pool({ connectionString: url });
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
});

it('lets several nodes start at once on a fresh schema (the tables are created under a lock)', async () => {
  const fresh = `${schema}_race`;
  const stores = Array.from({ length: 4 }, () => new PostgresSessionStore({ connectionString: url, schema: fresh }));
  try {
    await Promise.all(stores.map((store) => store.find('nobody')));
  } finally {
    await Promise.all(stores.map((store) => store.close()));
    const { Pool } = await import('pg');
    const pool = new Pool({ connectionString: url });
    await pool.query(`DROP SCHEMA IF EXISTS ${fresh} CASCADE`);
    await pool.end();
  }
});

describe('revocations told to every node sharing the store', () => {
  const record = (id: string, kioskId?: string) => ({
    id,
    subject: 'TH-1',
    role: 'resident',
    method: kioskId ? ('kiosk' as const) : ('email-code' as const),
    ...(kioskId ? { kioskId } : {}),
    createdAt: 1_000,
    lastSeenAt: 1_000,
    idleMs: 500,
    absoluteExpiresAt: 10_000,
  });

  it('tells a node, as they commit, of the sessions another node revokes: once each, a kiosk’s all together', async () => {
    const [a, b] = [0, 1].map(() => new PostgresSessionStore({ connectionString: url, schema }));
    const heard: string[] = [];
    let wake: () => void = () => undefined;
    await a.watchRevocations((id) => {
      heard.push(id);
      wake();
    });
    const hearing = (n: number) => new Promise<void>((resolve) => (wake = () => heard.length >= n && resolve()));
    try {
      const [one, again, kioskA, kioskB] = ['one', 'again', 'ka', 'kb'].map((x) => `n-${x}-${Math.random()}`);
      const kiosk = `k-${Math.random()}`;
      for (const r of [record(one), record(again), record(kioskA, kiosk), record(kioskB, kiosk)]) await b.create(r);
      let heardOne = hearing(1);
      expect(await b.revoke(one, 1_100)).toBe(true);
      await heardOne;
      expect(heard).toEqual([one]);
      // A second revocation of the same session is no news: the next notice is the next revocation's.
      expect(await b.revoke(one, 1_200)).toBe(false);
      heardOne = hearing(2);
      expect(await b.revoke(again, 1_200)).toBe(true);
      await heardOne;
      expect(heard).toEqual([one, again]);
      const heardKiosk = hearing(4);
      expect((await b.revokeAtKiosk(kiosk, 1_300)).sort()).toEqual([kioskA, kioskB].sort());
      await heardKiosk;
      expect(heard.slice(2).sort()).toEqual([kioskA, kioskB].sort());
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('listens again once its connection is cut, and hears the next revocation', async () => {
    const [a, b] = [0, 1].map(() => new PostgresSessionStore({ connectionString: url, schema }));
    const heard: string[] = [];
    let wake: () => void = () => undefined;
    await a.watchRevocations((id) => {
      heard.push(id);
      wake();
    });
    const { Client } = await import('pg');
    const admin = new Client({ connectionString: url });
    await admin.connect();
    const listening = async () =>
      (
        await admin.query(`SELECT pid FROM pg_stat_activity WHERE query = $1 AND state = 'idle' AND pid <> pg_backend_pid()`, [
          `LISTEN "${revokedSessionsChannel(schema)}"`,
        ])
      ).rows.map((row) => row.pid as number);
    try {
      const [first] = await listening();
      expect(first).toEqual(expect.any(Number));
      await admin.query('SELECT pg_terminate_backend($1)', [first]);
      // The listener connects again a moment later, under another backend (listening once its LISTEN has finished).
      for (;;) {
        const pids = await listening();
        if (pids.length > 0 && !pids.includes(first)) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const id = `n-after-${Math.random()}`;
      await b.create(record(id));
      const heardIt = new Promise<void>((resolve) => (wake = () => heard.includes(id) && resolve()));
      expect(await b.revoke(id, 1_100)).toBe(true);
      await heardIt;
      expect(heard).toEqual([id]);
    } finally {
      await admin.end();
      await Promise.all([a.close(), b.close()]);
    }
  });
});
