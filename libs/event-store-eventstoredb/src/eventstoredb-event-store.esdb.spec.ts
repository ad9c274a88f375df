import { randomBytes } from 'node:crypto';
import { eventStoreContract } from '@civic/event-store/testing';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

const url = process.env.EVENTSTOREDB_URL;

if (!url) {
  const reason = 'EVENTSTOREDB_URL is not set, so there is no EventStoreDB server to run the contract against';
  process.stdout.write(`Skipping the EventStoreDB contract suite: ${reason}.\n`);
  describe.skip(`event store contract: eventstoredb (skipped: ${reason})`, () => {
    it('runs against a real server', () => undefined);
  });
} else {
  // One server for every test: each store gets its own namespace, so it starts empty.
  const connect = (namespace = `t${randomBytes(4).toString('hex')}_`) =>
    EventStoreDbEventStore.connect({ connectionString: url, namespace, resubscribeDelayMs: 200 });
  eventStoreContract('eventstoredb (a real server)', {
    // EventStoreDB recognises a retried event id within its stream only.
    idsUniqueAcrossStreams: false,
    create: () => connect(),
    reopen: async (store) => {
      await store.close();
      return connect((store as EventStoreDbEventStore).namespace);
    },
  });
}
