import type { AppConfig } from '@civic/config';
import type { EventStore } from '@civic/event-store';

/** Raised when the configured store cannot be opened; names the setting to fix. */
export class EventStoreStartError extends Error {
  readonly code = 'CONFIG.EVENT_STORE_UNAVAILABLE';
  constructor(setting: string, detail: string, options?: { cause?: unknown }) {
    super(`Cannot open the event store (${setting}): ${detail}`, options);
    this.name = 'EventStoreStartError';
  }
}

/**
 * Opens the event store the configuration names. Adapters are loaded on demand, so a
 * SQLite deployment never loads the PostgreSQL or EventStoreDB clients.
 */
export async function openEventStore(config: AppConfig): Promise<EventStore> {
  switch (config.EVENT_STORE) {
    case 'sqlite': {
      const { SqliteEventStore } = await import('@civic/event-store-sqlite');
      try {
        return new SqliteEventStore({ path: config.SQLITE_PATH });
      } catch (err) {
        throw new EventStoreStartError(`SQLITE_PATH=${config.SQLITE_PATH}`, (err as Error).message, { cause: err });
      }
    }
    case 'postgres': {
      const { PostgresEventStore, InvalidSchemaNameError } = await import('@civic/event-store-postgres');
      try {
        return await PostgresEventStore.connect({ connectionString: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
      } catch (err) {
        const setting = err instanceof InvalidSchemaNameError ? 'DATABASE_SCHEMA' : 'DATABASE_URL';
        throw new EventStoreStartError(setting, (err as Error).message, { cause: err });
      }
    }
    case 'eventstoredb': {
      const { EventStoreDbEventStore } = await import('@civic/event-store-eventstoredb');
      try {
        return await EventStoreDbEventStore.connect({ connectionString: config.EVENTSTOREDB_URL! });
      } catch (err) {
        throw new EventStoreStartError('EVENTSTOREDB_URL', (err as Error).message, { cause: err });
      }
    }
    default: {
      const unknown: never = config.EVENT_STORE;
      throw new EventStoreStartError('EVENT_STORE', `unknown store ${String(unknown)}`);
    }
  }
}
