import { Pool } from 'pg';
import { notificationStoreContract } from './notification-store.contract';
import type { NewNotification } from './notification-store.port';
import { PostgresNotificationStore } from './postgres-notification-store';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const base = `notify_${process.pid}_${Date.now() % 100000}`;
let n = 0;
const schemas: string[] = [];
const fresh = () => {
  const schema = `${base}_${n++}`;
  schemas.push(schema);
  return schema;
};

notificationStoreContract(
  PostgresNotificationStore.name,
  async () => new PostgresNotificationStore({ connectionString: url, schema: fresh() }),
);

afterAll(async () => {
  const pool = new Pool({ connectionString: url });
  for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
});

describe('several API nodes on one outbox', () => {
  it('hands each message to one node, however many claim at once', async () => {
    const schema = fresh();
    const nodes = Array.from({ length: 4 }, () => new PostgresNotificationStore({ connectionString: url, schema }));
    try {
      const messages: NewNotification[] = Array.from({ length: 60 }, (_, i) => ({
        key: `m${i}`,
        kind: 'voting-opened',
        residentId: `r${i}`,
        params: {},
      }));
      await nodes[0].enqueue(messages, 0);
      const claimed = await Promise.all(nodes.flatMap((node) => [node.claim(10, 1000, 8), node.claim(10, 1000, 8)]));
      const more = await Promise.all(nodes.map((node) => node.claim(10, 1000, 60)));
      const keys = [...claimed, ...more].flat().map((m) => m.key);
      expect(keys).toHaveLength(60);
      expect(new Set(keys).size).toBe(60);
    } finally {
      await Promise.all(nodes.map((node) => node.close()));
    }
  });

  it('lets one node move the shared checkpoint from a position, the others seeing they lost', async () => {
    const schema = fresh();
    const nodes = Array.from({ length: 4 }, () => new PostgresNotificationStore({ connectionString: url, schema }));
    try {
      await nodes[0].advance(undefined, 'start', [], 0);
      const moved = await Promise.all(
        nodes.map((node, i) => node.advance('start', 'p1', [{ key: `k${i}`, kind: 'voting-opened', residentId: 'r', params: {} }], 0)),
      );
      expect(moved.filter(Boolean)).toHaveLength(1);
      expect(await nodes[1].pending()).toBe(1);
    } finally {
      await Promise.all(nodes.map((node) => node.close()));
    }
  });
});
