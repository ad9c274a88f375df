import { notificationStoreContract } from './notification-store.contract';
import { SqliteNotificationStore } from './sqlite-notification-store';

notificationStoreContract(SqliteNotificationStore.name, async () => new SqliteNotificationStore({ path: ':memory:' }));
