import { createHash, hash, randomBytes } from 'node:crypto';
import { purposeKey } from '@civic/auth';
import type { KioskDevice, SessionData, WebPrincipal } from './web-session-data';
import type { WebSessionKey, WebSessionRecords } from './web-session-records.port';

export type { KioskDevice, SessionData, SignInMethod, WebPrincipal } from './web-session-data';

/** A resident signed in at a kiosk is signed out after this long without a request (as the API's kiosk session). */
export const KIOSK_IDLE_MS = 2 * 60_000;

export interface SessionTimes {
  /** A session unused for this long ends. @defaultValue 30 minutes */
  readonly idleMs: number;
  /** A session ends this long after sign-in, however busy. @defaultValue 8 hours (the API token's life) */
  readonly absoluteMs: number;
}

export const DEFAULT_SESSION_TIMES: SessionTimes = { idleMs: 30 * 60_000, absoluteMs: 8 * 3600_000 };

/** A new session: its id and data at once (the page goes on with them), and its record's write, which the answer waits for. */
export interface CreatedSession {
  readonly id: string;
  readonly data: SessionData;
  readonly saved: Promise<void>;
}

/**
 * The web app's server-side sessions: their expiry rules, over records kept in a node's own
 * SQLite file or in PostgreSQL shared by every node (`WebSessionRecords`). The cookie holds a
 * random id; a record is found by its SHA-256 only, so a copy of the records gives nobody's
 * cookie (and, in PostgreSQL, whose data is sealed under a key derived from the id, nobody's API token).
 */
export class WebSessionStore {
  constructor(
    private readonly records: WebSessionRecords,
    private readonly times: SessionTimes = DEFAULT_SESSION_TIMES,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session with a new id (also at sign-in: the old id is revoked by the caller). */
  create(principal?: WebPrincipal, kiosk?: KioskDevice): CreatedSession {
    const id = randomBytes(32).toString('base64url');
    const data: SessionData = { csrf: randomBytes(32).toString('base64url'), principal, ...(kiosk ? { kiosk } : {}) };
    return { id, data, saved: this.records.insert(webSessionKeyOf(id), this.now(), data) };
  }

  /**
   * The live session of an id, its idle clock restarted; undefined when unknown, revoked or expired.
   * `key` is the id's own (`webSessionKeyOf(id)`), when the caller has it already.
   */
  async get(id: string | undefined, key?: WebSessionKey): Promise<SessionData | undefined> {
    if (!id || id.length > 100) return undefined;
    key ??= webSessionKeyOf(id);
    const row = await this.records.find(key);
    if (!row) return undefined;
    const at = this.now();
    const data = row.data;
    // A device in kiosk mode waits for its next resident however long: only its officer ends it (or the day's end).
    const idle = !(data.kiosk && !data.principal) && at - row.seenAt > this.times.idleMs;
    if (idle || at - row.createdAt > this.times.absoluteMs) {
      await this.records.remove(key.lookup);
      return undefined;
    }
    if (data.kiosk && data.principal?.method === 'kiosk' && at - row.seenAt >= KIOSK_IDLE_MS) {
      // The resident left the kiosk: the device stays in kiosk mode, without them.
      const left: SessionData = { csrf: data.csrf, kiosk: data.kiosk };
      await this.records.replace(key, at, left);
      return left;
    }
    // The idle clock restarts at most every few seconds: not one write per page (a kiosk's two minutes, on every page).
    const touchEvery = data.principal?.method === 'kiosk' ? 0 : Math.min(TOUCH_MS, this.times.idleMs / 10);
    if (at - row.seenAt > touchEvery) await this.records.touch(key.lookup, at);
    return data;
  }

  revoke(id: string): Promise<void> {
    const lookup = lookupOf(id);
    this.memos.delete(lookup);
    return this.records.remove(lookup);
  }

  /**
   * Short-lived notes of a live session, in this process's memory only (never in the records):
   * the ballot a resident reviewed, then what its confirmation page shows, once. Lost with the
   * process or the session (a session revoked here takes its notes with it; one revoked on
   * another node is refused by `get` before any note is read); a page that finds none reads
   * through the API as it would anyway. One note per slot and session; past a bound, the notes
   * of the sessions noted longest ago are dropped.
   */
  private readonly memos = new Map<string, { at: number; slots: Partial<Record<MemoSlot, unknown>> }>();

  /**
   * Keeps `value` in `slot` of the session `id` (which the caller has just found live), replacing what was there.
   * `id` may be given as its key (`webSessionKeyOf(id)`): its hash is then not worked out again.
   */
  keep(id: string | WebSessionKey, slot: MemoSlot, value: unknown): void {
    const lookup = typeof id === 'string' ? lookupOf(id) : id.lookup;
    const memo = this.memos.get(lookup);
    this.memos.delete(lookup);
    if (this.memos.size >= MAX_MEMOS) this.memos.delete(this.memos.keys().next().value!);
    this.memos.set(lookup, { at: this.now(), slots: { ...memo?.slots, [slot]: value } });
  }

  /** What `slot` of the session `id` holds, removed: a second call gets nothing. A note past its time (`MEMO_MS`, at most the idle time) is gone. */
  take(id: string | WebSessionKey, slot: MemoSlot): unknown {
    const lookup = typeof id === 'string' ? lookupOf(id) : id.lookup;
    const memo = this.memos.get(lookup);
    if (!memo || !(slot in memo.slots)) return undefined;
    const value = memo.slots[slot];
    delete memo.slots[slot];
    if (Object.keys(memo.slots).length === 0) this.memos.delete(lookup);
    return this.now() - memo.at > Math.min(this.times.idleMs, MEMO_MS[slot]) ? undefined : value;
  }

  /** Removes expired records (called now and then; `get` already refuses them). */
  sweep(): Promise<number> {
    const at = this.now();
    return this.records.sweep(at - this.times.idleMs, at - this.times.absoluteMs);
  }

  close(): Promise<void> {
    return this.records.close();
  }
}

const TOUCH_MS = 5000;

/** The notes a session may hold in memory: the ballot last reviewed, and the confirmation of the ballot just cast. */
export type MemoSlot = 'reviewed' | 'voted';

/** How long a note lasts: a review until the session's idle time; a confirmation for the redirect that follows its post. */
const MEMO_MS: Record<MemoSlot, number> = { reviewed: Infinity, voted: 60_000 };

/** Sessions with notes held at once (a note is a few hundred bytes). */
const MAX_MEMOS = 20_000;

/**
 * The SHA-256 (hex) a record is found by. One call where Node has it (20.12 and later): a Hash
 * object per lookup took as long as finding the record it keys.
 */
const lookupOf: (id: string) => string =
  typeof hash === 'function' ? (id) => hash('sha256', id, 'hex') : (id) => createHash('sha256').update(id).digest('hex');

/**
 * The keys of the session of a cookie's id. The seal key is derived when first read: records
 * that keep their data as it is (SQLite) never read it, and deriving it on every request was
 * about a twentieth of a web ballot's server time.
 */
export const webSessionKeyOf = (id: string): WebSessionKey => {
  let sealKey: Buffer | undefined;
  return {
    lookup: lookupOf(id),
    get sealKey() {
      return (sealKey ??= purposeKey(id, 'web-session-data'));
    },
  };
};
