import type { SessionRecord } from './session';

/**
 * Where sessions live. Sessions are not events: they change on every request's touch, they are
 * revoked at once, and nothing in the history needs them (staff sign-ins are recorded as events
 * apart). A single node keeps them in its own SQLite file; nodes sharing a PostgreSQL store keep
 * them in one PostgreSQL table, so a sign-out on one node is seen by the next request on any.
 */
export interface SessionStore {
  create(record: SessionRecord): Promise<void>;
  find(id: string): Promise<SessionRecord | undefined>;
  /** Records a request at `at` (the idle expiry moves on). */
  touch(id: string, at: number): Promise<void>;
  /** Revokes a session; false when there is none (or it was revoked already). */
  revoke(id: string, at: number): Promise<boolean>;
  /** Revokes every session still open that was started at a kiosk; the ids of those it revoked. */
  revokeAtKiosk(kioskId: string, at: number): Promise<string[]>;
  /** Refuses a bearer token the platform did not issue (a provider's access token) until `until`. */
  revokeToken(tokenHash: string, until: number): Promise<void>;
  isTokenRevoked(tokenHash: string, now: number): Promise<boolean>;
  /**
   * Keeps a new session's token for a one-time handoff (a browser sign-in's callback hands the web
   * app a short code in a redirect, never the token): `takeHandoff` gives it once, before `until`.
   */
  saveHandoff(codeHash: string, token: string, until: number): Promise<void>;
  takeHandoff(codeHash: string, now: number): Promise<string | undefined>;
  /**
   * Calls `listener` with the id of each session that any node sharing this store revokes from now
   * on (this one included), as soon as the revocation commits; resolves once listening. A store
   * that only one node uses has none: that node knows what it revokes.
   */
  watchRevocations?(listener: (id: string) => void): Promise<void>;
  /** Drops sessions and revoked tokens past their absolute expiry before `now`. */
  purge(now: number): Promise<number>;
  close(): Promise<void>;
}
