/** The notification outbox (NotificationStore): a SQLite file of the node, or PostgreSQL tables shared by the nodes. */
export const NOTIFICATION_STORE = Symbol('NOTIFICATION_STORE');
