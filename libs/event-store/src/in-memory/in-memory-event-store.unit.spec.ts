import { eventStoreContract } from '../testing/contract-suite';
import { InMemoryEventStore } from './in-memory-event-store';

eventStoreContract('in-memory', {
  create: async () => new InMemoryEventStore(),
  reopen: async (store) => {
    await store.close();
    return new InMemoryEventStore({ log: (store as InMemoryEventStore).log });
  },
});
