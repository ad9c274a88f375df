import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { EventStore, RecordedEvent } from '@civic/event-store';
import { DATABASE_URL, TestSchemas } from '../testing/pg-test-db';

const schemas = new TestSchemas();
afterAll(() => schemas.dropAll());

const ev = () => ({ id: randomUUID(), type: 'BallotCast', data: {} });

/** Resolves with the time the subscriber took to see one event appended by `writer`. */
async function wakeUpTime(reader: EventStore, writer: EventStore): Promise<number> {
  const sub = reader.subscribeAll({ after: await reader.headPosition() });
  const first = (async (): Promise<RecordedEvent | undefined> => {
    for await (const e of sub) return e;
    return undefined;
  })();
  await sleep(100); // the subscriber is now waiting
  const start = Date.now();
  await writer.append('ballot-wake', [ev()]);
  await first;
  await sub.stop();
  return Date.now() - start;
}

describe('LISTEN/NOTIFY', () => {
  it('wakes a subscriber on another node at commit, long before its fallback poll', async () => {
    const schema = schemas.next();
    const reader = await schemas.connect(schema, { pollIntervalMs: 60_000 });
    const writer = await schemas.connect(schema);
    expect(await wakeUpTime(reader, writer)).toBeLessThan(1000);

    // The listening connection drops: it reconnects, and notifications wake subscribers again.
    const admin = new Client({ connectionString: DATABASE_URL });
    await admin.connect();
    const { rowCount } = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()`,
      [`LISTEN "civic_events_${schema}"`],
    );
    await admin.end();
    expect(rowCount).toBe(2);
    await sleep(1500);
    expect(await wakeUpTime(reader, writer)).toBeLessThan(1000);
    await Promise.all([reader.close(), writer.close()]);
  }, 30_000);
});
