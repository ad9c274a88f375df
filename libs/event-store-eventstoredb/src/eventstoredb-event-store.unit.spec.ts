import { StoreUnavailableError } from '@civic/event-store';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

describe(EventStoreDbEventStore.name, () => {
  it('fails to connect with a clear error naming EVENTSTOREDB_URL', async () => {
    for (const connectionString of ['esdb://127.0.0.1:1?tls=false', 'not a url']) {
      const err = await EventStoreDbEventStore.connect({ connectionString, connectTimeoutMs: 3000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect((err as Error).message).toMatch(/EVENTSTOREDB_URL/);
    }
  });

  it('refuses a namespace that would not be a stream-name prefix', () => {
    expect(() => new EventStoreDbEventStore({} as never, { namespace: 'a-b' })).toThrow(/namespace/);
  });
});
