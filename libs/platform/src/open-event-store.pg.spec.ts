import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '@civic/config';
import { MAX_SCHEMA_NAME } from '@civic/event-store-postgres';
import { EventStoreStartError, openEventStore } from './open-event-store';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

jest.setTimeout(30_000);

describe('openEventStore on PostgreSQL: the schema name', () => {
  const longest = `t${randomBytes(8).toString('hex')}`.padEnd(MAX_SCHEMA_NAME, '_');

  afterAll(async () => {
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${longest}" CASCADE`).finally(() => client.end());
  });

  it('opens a store under the longest name the configuration allows, whose commits are announced on its whole channel name', async () => {
    const config = loadConfig({ EVENT_STORE: 'postgres', DATABASE_URL, DATABASE_SCHEMA: longest });
    expect(config.DATABASE_SCHEMA).toHaveLength(MAX_SCHEMA_NAME);
    const store = await openEventStore(config);
    const listener = new Client({ connectionString: DATABASE_URL });
    await listener.connect();
    try {
      const channel = `civic_events_${longest}`;
      expect(channel).toHaveLength(63); // PostgreSQL's longest identifier: nothing cut
      await listener.query(`LISTEN "${channel}"`);
      const announced = new Promise<string>((resolve) => listener.on('notification', (msg) => resolve(msg.channel)));
      await store.append('probe-1', [{ id: randomUUID(), type: 'Probed', data: {}, metadata: {} }]);
      expect(await announced).toBe(channel);
      expect(await store.readStream('probe-1')).toMatchObject([{ type: 'Probed' }]);
    } finally {
      await listener.end();
      await store.close();
    }
  });

  it('blames DATABASE_SCHEMA, not DATABASE_URL, for a name the store refuses', async () => {
    const config = { ...loadConfig({ EVENT_STORE: 'postgres', DATABASE_URL }), DATABASE_SCHEMA: 'x'.repeat(MAX_SCHEMA_NAME + 1) };
    const opening = openEventStore(config);
    await expect(opening).rejects.toThrow(EventStoreStartError);
    await expect(opening).rejects.toThrow(/\(DATABASE_SCHEMA\): Invalid schema name/);
  });
});
