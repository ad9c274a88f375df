import { Pool, type PoolClient } from 'pg';
import type {
  NewNotification,
  NotificationPreference,
  NotificationStore,
  QueuedNotification,
  ReactorCheckpoint,
} from './notification-store.port';
import { NOTIFICATION_SCHEMA_VERSION, preferenceOf, queuedOf, type PreferenceRow, type QueuedRow } from './notification-rows';

/**
 * The notification outbox in PostgreSQL, shared by every API node on the store: the reactor's
 * checkpoint moves by compare-and-set (one node queues each event's messages), and workers
 * claim due messages with `FOR UPDATE SKIP LOCKED` under a lease, so each message is sent once.
 */
export class PostgresNotificationStore implements NotificationStore {
  private readonly pool: Pool;
  private ready?: Promise<void>;

  constructor(private readonly options: { connectionString: string; schema: string }) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
    this.pool = new Pool({ connectionString: options.connectionString, max: 3 });
  }

  private t(name: string): string {
    return `${this.options.schema}.${name}`;
  }

  private async createTables(): Promise<void> {
    await this.transaction(async (client) => {
      // One node at a time creates the tables (concurrent CREATE ... IF NOT EXISTS can collide in the catalogue).
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('civic-ledger/notifications'))`);
      await client.query(`
        CREATE SCHEMA IF NOT EXISTS ${this.options.schema};
        CREATE TABLE IF NOT EXISTS ${this.t('notification_reactor')} (
          id INTEGER PRIMARY KEY CHECK (id = 1), position TEXT NOT NULL, schema_version INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS ${this.t('notification_outbox')} (
          id BIGSERIAL PRIMARY KEY, key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, resident_id TEXT NOT NULL, params TEXT NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0, next_at BIGINT NOT NULL, leased_until BIGINT NOT NULL DEFAULT 0,
          finished_at BIGINT, outcome TEXT);
        CREATE INDEX IF NOT EXISTS notification_outbox_due ON ${this.t('notification_outbox')} (next_at) WHERE finished_at IS NULL;
        CREATE TABLE IF NOT EXISTS ${this.t('notification_preferences')} (
          resident_id TEXT PRIMARY KEY, opted_in BOOLEAN NOT NULL, language TEXT NOT NULL, reference_sealed TEXT NOT NULL,
          updated_at BIGINT NOT NULL);`);
    }, false);
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>, needsTables = true): Promise<T> {
    if (needsTables) await this.tables();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async tables(): Promise<void> {
    this.ready ??= this.createTables();
    await this.ready.catch((err) => {
      this.ready = undefined;
      throw err;
    });
  }

  private async query<R extends object>(sql: string, values: unknown[] = []): Promise<R[]> {
    await this.tables();
    return (await this.pool.query(sql, values)).rows as R[];
  }

  async checkpoint(): Promise<ReactorCheckpoint | undefined> {
    return (await this.query<{ position: string }>(`SELECT position FROM ${this.t('notification_reactor')} WHERE id = 1`))[0]?.position;
  }

  async advance(
    from: ReactorCheckpoint | undefined,
    to: ReactorCheckpoint,
    messages: readonly NewNotification[],
    now: number,
  ): Promise<boolean> {
    return this.transaction(async (client) => {
      const moved =
        from === undefined
          ? await client.query(
              `INSERT INTO ${this.t('notification_reactor')} (id, position, schema_version) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING`,
              [to, NOTIFICATION_SCHEMA_VERSION],
            )
          : await client.query(`UPDATE ${this.t('notification_reactor')} SET position = $1 WHERE id = 1 AND position = $2`, [to, from]);
      if (moved.rowCount !== 1) return false;
      await this.insert(client, messages, now);
      return true;
    });
  }

  async enqueue(messages: readonly NewNotification[], now: number): Promise<void> {
    if (messages.length > 0) await this.transaction((client) => this.insert(client, messages, now));
  }

  private async insert(client: PoolClient, messages: readonly NewNotification[], now: number): Promise<void> {
    for (const m of messages) {
      await client.query(
        `INSERT INTO ${this.t('notification_outbox')} (key, kind, resident_id, params, next_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (key) DO NOTHING`,
        [m.key, m.kind, m.residentId, JSON.stringify(m.params), now],
      );
    }
  }

  async claim(now: number, leaseUntil: number, limit: number): Promise<QueuedNotification[]> {
    const rows = await this.query<QueuedRow>(
      `UPDATE ${this.t('notification_outbox')} SET leased_until = $2 WHERE id IN (
         SELECT id FROM ${this.t('notification_outbox')} WHERE finished_at IS NULL AND next_at <= $1 AND leased_until <= $1
         ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id, key, kind, resident_id, params, attempts`,
      [now, leaseUntil, limit],
    );
    return rows.map(queuedOf).sort((a, b) => a.id - b.id);
  }

  async finish(id: number, now: number, outcome: 'sent' | 'dropped'): Promise<void> {
    await this.query(`UPDATE ${this.t('notification_outbox')} SET finished_at = $1, outcome = $2, leased_until = 0 WHERE id = $3`, [
      now,
      outcome,
      id,
    ]);
  }

  async release(id: number): Promise<void> {
    await this.query(`UPDATE ${this.t('notification_outbox')} SET leased_until = 0 WHERE id = $1`, [id]);
  }

  async retry(id: number, nextAt: number): Promise<void> {
    await this.query(`UPDATE ${this.t('notification_outbox')} SET attempts = attempts + 1, next_at = $1, leased_until = 0 WHERE id = $2`, [
      nextAt,
      id,
    ]);
  }

  async pending(): Promise<number> {
    return Number(
      (await this.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.t('notification_outbox')} WHERE finished_at IS NULL`))[0].n,
    );
  }

  async preference(residentId: string): Promise<NotificationPreference | undefined> {
    const row = (
      await this.query<PreferenceRow>(`SELECT * FROM ${this.t('notification_preferences')} WHERE resident_id = $1`, [residentId])
    )[0];
    return row && preferenceOf(row);
  }

  async setPreference(p: NotificationPreference): Promise<void> {
    await this.query(
      `INSERT INTO ${this.t('notification_preferences')} (resident_id, opted_in, language, reference_sealed, updated_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (resident_id) DO UPDATE SET opted_in = excluded.opted_in, language = excluded.language,
         reference_sealed = excluded.reference_sealed, updated_at = excluded.updated_at`,
      [p.residentId, p.optedIn, p.language, p.referenceSealed, p.updatedAt],
    );
  }

  async optedIn(): Promise<NotificationPreference[]> {
    return (await this.query<PreferenceRow>(`SELECT * FROM ${this.t('notification_preferences')} WHERE opted_in ORDER BY resident_id`)).map(
      preferenceOf,
    );
  }

  async forget(residentId: string): Promise<void> {
    await this.transaction(async (client) => {
      await client.query(`DELETE FROM ${this.t('notification_preferences')} WHERE resident_id = $1`, [residentId]);
      await client.query(
        `UPDATE ${this.t('notification_outbox')} SET finished_at = $1, outcome = 'dropped' WHERE resident_id = $2 AND finished_at IS NULL`,
        [Date.now(), residentId],
      );
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
