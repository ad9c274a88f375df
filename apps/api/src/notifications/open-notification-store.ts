import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppConfig } from '@civic/config';
import type { NotificationStore } from './notification-store.port';
import { SqliteNotificationStore } from './sqlite-notification-store';

/** The notification outbox the configuration names; the PostgreSQL client is loaded only when used. */
export async function openNotificationStore(config: AppConfig): Promise<NotificationStore> {
  switch (config.NOTIFICATIONS_STORE) {
    case 'sqlite':
      if (config.NOTIFICATIONS_PATH !== ':memory:') mkdirSync(dirname(config.NOTIFICATIONS_PATH), { recursive: true });
      return new SqliteNotificationStore({ path: config.NOTIFICATIONS_PATH });
    case 'postgres': {
      const { PostgresNotificationStore } = await import('./postgres-notification-store');
      return new PostgresNotificationStore({ connectionString: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
    }
    default: {
      const unknown: never = config.NOTIFICATIONS_STORE;
      throw new Error(`unknown notification store ${String(unknown)}`);
    }
  }
}
