import type { NotificationLanguage, NotificationPreference, QueuedNotification } from './notification-store.port';

/** Bump when what the reactor queues changes shape. */
export const NOTIFICATION_SCHEMA_VERSION = 1;

/** A queued message as both adapters store it (PostgreSQL gives BIGINTs as strings). */
export interface QueuedRow {
  id: number | string;
  key: string;
  kind: string;
  resident_id: string;
  params: string;
  attempts: number;
}

export interface PreferenceRow {
  resident_id: string;
  opted_in: number | boolean;
  language: string;
  reference_sealed: string;
  updated_at: number | string;
}

export const queuedOf = (row: QueuedRow): QueuedNotification => ({
  id: Number(row.id),
  key: row.key,
  kind: row.kind as QueuedNotification['kind'],
  residentId: row.resident_id,
  params: JSON.parse(row.params) as QueuedNotification['params'],
  attempts: row.attempts,
});

export const preferenceOf = (row: PreferenceRow): NotificationPreference => ({
  residentId: row.resident_id,
  optedIn: row.opted_in === true || row.opted_in === 1,
  language: row.language as NotificationLanguage,
  referenceSealed: row.reference_sealed,
  updatedAt: Number(row.updated_at),
});
