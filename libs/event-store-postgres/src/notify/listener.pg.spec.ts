import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { RecordedEvent } from '@civic/event-store';
import type { PostgresEventStore } from '../postgres-event-store';
import { DATABASE_URL, TestSchemas } from '../testing/pg-test-db';

const schemas = new TestSchemas();
afterAll(() => schemas.dropAll());

const ev = () => ({ id: randomUUID(), type: 'BallotCast', data: {} });

/** Resolves once `condition` holds, looking at each turn of the event loop; fails after 10 s. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Resolves with the time the subscriber took to see one event appended by `writer`. */
async function wakeUpTime(reader: PostgresEventStore, writer: PostgresEventStore): Promise<number> {
  const sub = reader.subscribeAll({ after: await reader.headPosition() });
  const first = (async (): Promise<RecordedEvent | undefined> => {
    for await (const e of sub) return e;
    return undefined;
  })();
  // Caught up, and waiting for a commit: only a notification (or the 60 s poll) can wake it now.
  await until(() => reader.stats().waitingSubscribers === 1, 'the subscriber to wait');
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
    await until(() => !reader.stats().listening && !writer.stats().listening, 'both nodes to see the drop');
    await until(() => reader.stats().listening && writer.stats().listening, 'both nodes to listen again');
    expect(await wakeUpTime(reader, writer)).toBeLessThan(1000);
    await Promise.all([reader.close(), writer.close()]);
  }, 30_000);
});
