import type { EventStore } from '@civic/event-store';
import type { StoreChoice } from './store-options';

/** A store the audit reads through the EventStore port, and how to name it in reports. */
export interface PortStore {
  readonly store: EventStore;
  readonly description: string;
}

/**
 * Opens PostgreSQL or EventStoreDB through its adapter (loaded on demand, so a SQLite audit
 * never loads their clients). A server that cannot be reached fails as the API's start does,
 * with `CONFIG.EVENT_STORE_UNAVAILABLE` naming the setting.
 */
export async function openPortStore(choice: Exclude<StoreChoice, { kind: 'sqlite' }>): Promise<PortStore> {
  const { EventStoreStartError } = await import('@civic/platform');
  switch (choice.kind) {
    case 'postgres': {
      const { PostgresEventStore } = await import('@civic/event-store-postgres');
      const store = await PostgresEventStore.connect({ connectionString: choice.connectionString, schema: choice.schema });
      return { store, description: `schema ${choice.schema}` };
    }
    case 'eventstoredb': {
      const { EventStoreDbEventStore } = await import('@civic/event-store-eventstoredb');
      try {
        const store = await EventStoreDbEventStore.connect({ connectionString: choice.connectionString, namespace: choice.namespace });
        return { store, description: `EventStoreDB${choice.namespace ? ` namespace ${choice.namespace}` : ''}` };
      } catch (err) {
        throw new EventStoreStartError('--eventstoredb-url', (err as Error).message, { cause: err });
      }
    }
  }
}
