import Database from 'better-sqlite3';
import type {
  NewNotification,
  NotificationPreference,
  NotificationStore,
  QueuedNotification,
  ReactorCheckpoint,
} from './notification-store.port';
import { NOTIFICATION_SCHEMA_VERSION, preferenceOf, queuedOf, type PreferenceRow, type QueuedRow } from './notification-rows';

/**
 * The notification outbox in one SQLite file of the node (beside its sessions): one API process
 * writes it (the node's writer lock), so a transaction is all the exclusion it needs.
 */
export class SqliteNotificationStore implements NotificationStore {
  private readonly db: Database.Database;

  constructor(options: { path: string }) {
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    // Deleted preferences (an erased resident's) leave no bytes behind.
    this.db.pragma('secure_delete = ON');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS notification_reactor (id INTEGER PRIMARY KEY CHECK (id = 1), position TEXT NOT NULL, schema_version INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS notification_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, resident_id TEXT NOT NULL,
        params TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL, leased_until INTEGER NOT NULL DEFAULT 0,
        finished_at INTEGER, outcome TEXT);
      CREATE INDEX IF NOT EXISTS notification_outbox_due ON notification_outbox (next_at) WHERE finished_at IS NULL;
      CREATE TABLE IF NOT EXISTS notification_preferences (
        resident_id TEXT PRIMARY KEY, opted_in INTEGER NOT NULL, language TEXT NOT NULL, reference_sealed TEXT NOT NULL, updated_at INTEGER NOT NULL);`);
  }

  async checkpoint(): Promise<ReactorCheckpoint | undefined> {
    return (this.db.prepare('SELECT position FROM notification_reactor WHERE id = 1').get() as { position: string } | undefined)?.position;
  }

  async advance(
    from: ReactorCheckpoint | undefined,
    to: ReactorCheckpoint,
    messages: readonly NewNotification[],
    now: number,
  ): Promise<boolean> {
    return this.db
      .transaction(() => {
        const moved =
          from === undefined
            ? this.db
                .prepare('INSERT INTO notification_reactor (id, position, schema_version) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING')
                .run(to, NOTIFICATION_SCHEMA_VERSION).changes
            : this.db.prepare('UPDATE notification_reactor SET position = ? WHERE id = 1 AND position = ?').run(to, from).changes;
        if (moved !== 1) return false;
        this.insert(messages, now);
        return true;
      })
      .immediate();
  }

  async enqueue(messages: readonly NewNotification[], now: number): Promise<void> {
    this.db.transaction(() => this.insert(messages, now)).immediate();
  }

  private insert(messages: readonly NewNotification[], now: number): void {
    const insert = this.db.prepare(
      'INSERT INTO notification_outbox (key, kind, resident_id, params, next_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING',
    );
    for (const m of messages) insert.run(m.key, m.kind, m.residentId, JSON.stringify(m.params), now);
  }

  async claim(now: number, leaseUntil: number, limit: number): Promise<QueuedNotification[]> {
    return this.db
      .transaction(() => {
        const rows = this.db
          .prepare(`SELECT * FROM notification_outbox WHERE finished_at IS NULL AND next_at <= ? AND leased_until <= ? ORDER BY id LIMIT ?`)
          .all(now, now, limit) as QueuedRow[];
        const lease = this.db.prepare('UPDATE notification_outbox SET leased_until = ? WHERE id = ?');
        for (const row of rows) lease.run(leaseUntil, row.id);
        return rows.map(queuedOf);
      })
      .immediate();
  }

  async finish(id: number, now: number, outcome: 'sent' | 'dropped'): Promise<void> {
    this.db.prepare('UPDATE notification_outbox SET finished_at = ?, outcome = ?, leased_until = 0 WHERE id = ?').run(now, outcome, id);
  }

  async release(id: number): Promise<void> {
    this.db.prepare('UPDATE notification_outbox SET leased_until = 0 WHERE id = ?').run(id);
  }

  async retry(id: number, nextAt: number): Promise<void> {
    this.db.prepare('UPDATE notification_outbox SET attempts = attempts + 1, next_at = ?, leased_until = 0 WHERE id = ?').run(nextAt, id);
  }

  async pending(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM notification_outbox WHERE finished_at IS NULL').get() as { n: number }).n;
  }

  async preference(residentId: string): Promise<NotificationPreference | undefined> {
    const row = this.db.prepare('SELECT * FROM notification_preferences WHERE resident_id = ?').get(residentId) as
      PreferenceRow | undefined;
    return row && preferenceOf(row);
  }

  async setPreference(p: NotificationPreference): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO notification_preferences (resident_id, opted_in, language, reference_sealed, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (resident_id) DO UPDATE SET opted_in = excluded.opted_in, language = excluded.language,
           reference_sealed = excluded.reference_sealed, updated_at = excluded.updated_at`,
      )
      .run(p.residentId, p.optedIn ? 1 : 0, p.language, p.referenceSealed, p.updatedAt);
  }

  async optedIn(): Promise<NotificationPreference[]> {
    return (this.db.prepare('SELECT * FROM notification_preferences WHERE opted_in = 1 ORDER BY resident_id').all() as PreferenceRow[]).map(
      preferenceOf,
    );
  }

  async forget(residentId: string): Promise<void> {
    this.db
      .transaction(() => {
        this.db.prepare('DELETE FROM notification_preferences WHERE resident_id = ?').run(residentId);
        this.db
          .prepare(`UPDATE notification_outbox SET finished_at = ?, outcome = 'dropped' WHERE resident_id = ? AND finished_at IS NULL`)
          .run(Date.now(), residentId);
      })
      .immediate();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
