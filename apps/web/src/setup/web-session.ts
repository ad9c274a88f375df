import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Role } from './page-guard';

/** How a web session's principal signed in. */
export type SignInMethod = 'dev' | 'email' | 'pollcard' | 'oidc' | 'kiosk';

/** Who is signed in to a web session, and how they signed in. */
export interface WebPrincipal {
  /** A resident's register reference, or a member of staff's name at the identity provider. */
  readonly subject: string;
  readonly role: Role;
  readonly method: SignInMethod;
  /** The API's bearer token: kept on the server, never sent to the browser. */
  readonly apiToken: string;
}

/** A device in kiosk mode: what the kiosk's pages need, and the API's token for the device (kept on the server). */
export interface KioskDevice {
  readonly kioskId: string;
  readonly fundId: string;
  readonly place: string;
  readonly device: string;
}

export interface SessionData {
  /** The form token of this session (synchroniser pattern). */
  readonly csrf: string;
  readonly principal?: WebPrincipal;
  /** Set on a device in kiosk mode: it outlives each resident's sign-in there, until an officer ends it. */
  readonly kiosk?: KioskDevice;
}

/** A resident signed in at a kiosk is signed out after this long without a request (as the API's kiosk session). */
export const KIOSK_IDLE_MS = 2 * 60_000;

export interface SessionTimes {
  /** A session unused for this long ends. @defaultValue 30 minutes */
  readonly idleMs: number;
  /** A session ends this long after sign-in, however busy. @defaultValue 8 hours (the API token's life) */
  readonly absoluteMs: number;
}

export const DEFAULT_SESSION_TIMES: SessionTimes = { idleMs: 30 * 60_000, absoluteMs: 8 * 3600_000 };

/**
 * Server-side session records in a node-local SQLite file. The cookie holds a random id; the
 * table holds only its SHA-256, so a copy of the file lets nobody act as a resident.
 */
export class WebSessionStore {
  private readonly db: Database.Database;
  /** Prepared once: every page reads its session, so a statement compiled per request is a page's cost. */
  private readonly sql;

  constructor(
    path: string,
    private readonly times: SessionTimes = DEFAULT_SESSION_TIMES,
    private readonly now: () => number = Date.now,
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // A session lost with the machine's power is only a sign-in again: no sync per request.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS web_sessions (
      id_hash TEXT PRIMARY KEY, created_at INTEGER NOT NULL, seen_at INTEGER NOT NULL, data TEXT NOT NULL)`);
    this.sql = {
      insert: this.db.prepare<[string, number, number, string]>(
        'INSERT INTO web_sessions (id_hash, created_at, seen_at, data) VALUES (?, ?, ?, ?)',
      ),
      find: this.db.prepare<[string], { created_at: number; seen_at: number; data: string }>(
        'SELECT created_at, seen_at, data FROM web_sessions WHERE id_hash = ?',
      ),
      touch: this.db.prepare<[number, string]>('UPDATE web_sessions SET seen_at = ? WHERE id_hash = ?'),
      revoke: this.db.prepare<[string]>('DELETE FROM web_sessions WHERE id_hash = ?'),
    };
  }

  /** A new session with a new id (also at sign-in: the old id is revoked by the caller). */
  create(principal?: WebPrincipal, kiosk?: KioskDevice): { id: string; data: SessionData } {
    const id = randomBytes(32).toString('base64url');
    const data: SessionData = { csrf: randomBytes(32).toString('base64url'), principal, ...(kiosk ? { kiosk } : {}) };
    const at = this.now();
    this.sql.insert.run(hash(id), at, at, JSON.stringify(data));
    return { id, data };
  }

  /** The live session of an id, its idle clock restarted; undefined when unknown, revoked or expired. */
  get(id: string | undefined): SessionData | undefined {
    if (!id || id.length > 100) return undefined;
    const idHash = hash(id);
    const row = this.sql.find.get(idHash);
    if (!row) return undefined;
    const at = this.now();
    let data = JSON.parse(row.data) as SessionData;
    // A device in kiosk mode waits for its next resident however long: only its officer ends it (or the day's end).
    const idle = !(data.kiosk && !data.principal) && at - row.seen_at > this.times.idleMs;
    if (idle || at - row.created_at > this.times.absoluteMs) {
      this.revoke(id);
      return undefined;
    }
    if (data.kiosk && data.principal?.method === 'kiosk' && at - row.seen_at >= KIOSK_IDLE_MS) {
      // The resident left the kiosk: the device stays in kiosk mode, without them.
      data = { csrf: data.csrf, kiosk: data.kiosk };
      this.db.prepare('UPDATE web_sessions SET seen_at = ?, data = ? WHERE id_hash = ?').run(at, JSON.stringify(data), idHash);
      return data;
    }
    // The idle clock restarts at most every few seconds: not one write per page (a kiosk's two minutes, on every page).
    const touchEvery = data.principal?.method === 'kiosk' ? 0 : Math.min(TOUCH_MS, this.times.idleMs / 10);
    if (at - row.seen_at > touchEvery) this.sql.touch.run(at, idHash);
    return data;
  }

  revoke(id: string): void {
    this.sql.revoke.run(hash(id));
  }

  /** Removes expired records (called now and then; `get` already refuses them). */
  sweep(): number {
    const at = this.now();
    return this.db
      .prepare(
        `DELETE FROM web_sessions WHERE (seen_at < ? AND (json_extract(data, '$.kiosk') IS NULL OR json_extract(data, '$.principal') IS NOT NULL))
         OR created_at < ?`,
      )
      .run(at - this.times.idleMs, at - this.times.absoluteMs).changes;
  }

  close(): void {
    this.db.close();
  }
}

const TOUCH_MS = 5000;

const hash = (id: string) => createHash('sha256').update(id).digest('hex');
