import type Database from 'better-sqlite3';
import { openDatabase } from '../crypto/open-database';

/** A device in kiosk mode: the officer who switched it on, for which fund, where. Times are epoch milliseconds. */
export interface KioskRecord {
  readonly kioskId: string;
  readonly fundId: string;
  readonly place: string;
  /** The officer's subject (their name at the identity provider) and role. */
  readonly officer: string;
  readonly officerRole: string;
  readonly startedAt: number;
  readonly endedAt?: number;
}

type Row = {
  kiosk_id: string;
  fund_id: string;
  place: string;
  officer: string;
  officer_role: string;
  started_at: number;
  ended_at: number | null;
};

const recordOf = (row: Row | undefined): KioskRecord | undefined =>
  row && {
    kioskId: row.kiosk_id,
    fundId: row.fund_id,
    place: row.place,
    officer: row.officer,
    officerRole: row.officer_role,
    startedAt: row.started_at,
    ...(row.ended_at === null ? {} : { endedAt: row.ended_at }),
  };

/**
 * Kiosks in force and the residents' sessions started at each, in the sessions' file. The
 * device's token is kept only as a hash; the history records each start and end as events
 * apart (this is the state a sign-in and a ballot read, not the record).
 */
export class SqliteKiosks {
  private readonly db: Database.Database;

  constructor(options: { path: string }) {
    this.db = openDatabase(
      options.path,
      `
      CREATE TABLE IF NOT EXISTS kiosks (
        kiosk_id TEXT PRIMARY KEY, device_hash TEXT NOT NULL UNIQUE, fund_id TEXT NOT NULL, place TEXT NOT NULL,
        officer TEXT NOT NULL, officer_role TEXT NOT NULL, started_at INTEGER NOT NULL, ended_at INTEGER);
      CREATE TABLE IF NOT EXISTS kiosk_sessions (session_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS kiosk_sessions_by_kiosk ON kiosk_sessions (kiosk_id);`,
    );
  }

  start(record: KioskRecord, deviceHash: string): void {
    this.db
      .prepare('INSERT INTO kiosks (kiosk_id, device_hash, fund_id, place, officer, officer_role, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(record.kioskId, deviceHash, record.fundId, record.place, record.officer, record.officerRole, record.startedAt);
  }

  /** The kiosk a device's token names, ended or not. */
  byDevice(deviceHash: string): KioskRecord | undefined {
    return recordOf(this.db.prepare<[string], Row>('SELECT * FROM kiosks WHERE device_hash = ?').get(deviceHash));
  }

  /** Ends a kiosk; false when it had ended already. */
  end(kioskId: string, at: number): boolean {
    return this.db.prepare('UPDATE kiosks SET ended_at = ? WHERE kiosk_id = ? AND ended_at IS NULL').run(at, kioskId).changes === 1;
  }

  /** Records that a resident's session was started at a kiosk. */
  linkSession(sessionId: string, kioskId: string, at: number): void {
    this.db.prepare('INSERT OR REPLACE INTO kiosk_sessions (session_id, kiosk_id, at) VALUES (?, ?, ?)').run(sessionId, kioskId, at);
  }

  /** The kiosk a resident's session was started at. */
  ofSession(sessionId: string): KioskRecord | undefined {
    return recordOf(
      this.db
        .prepare<[string], Row>('SELECT k.* FROM kiosk_sessions s JOIN kiosks k ON k.kiosk_id = s.kiosk_id WHERE s.session_id = ?')
        .get(sessionId),
    );
  }

  /** The sessions started at a kiosk (to end them with it). */
  sessionsOf(kioskId: string): string[] {
    return this.db
      .prepare<[string], { session_id: string }>('SELECT session_id FROM kiosk_sessions WHERE kiosk_id = ?')
      .all(kioskId)
      .map((r) => r.session_id);
  }

  /** Forgets the links of sessions started before `before` (they ended long since). */
  purge(before: number): number {
    return this.db.prepare('DELETE FROM kiosk_sessions WHERE at < ?').run(before).changes;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
