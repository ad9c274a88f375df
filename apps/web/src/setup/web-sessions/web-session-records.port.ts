import type { SessionData } from './web-session-data';

/** One web session's record, found by the SHA-256 of its cookie's id. */
export interface WebSessionRow {
  readonly createdAt: number;
  /** The last request that restarted its idle clock. */
  readonly seenAt: number;
  readonly data: SessionData;
}

/**
 * Where the web app's session records live: a node's own SQLite file (`SESSION_STORE=sqlite`, one
 * node, or a load balancer keeping each browser on one node), or one PostgreSQL table every node
 * shares (`SESSION_STORE=postgres`: a browser signed in through one node is signed in on all, and
 * a sign-out through one ends it on all from the next request). Times are epoch milliseconds.
 */
export interface WebSessionRecords {
  insert(idHash: string, at: number, data: SessionData): Promise<void>;
  find(idHash: string): Promise<WebSessionRow | undefined>;
  /** Restarts the idle clock at `at` (never moves it back). */
  touch(idHash: string, at: number): Promise<void>;
  /** Replaces the data, restarting the idle clock (a kiosk's resident left: the device stays in kiosk mode). */
  replace(idHash: string, at: number, data: SessionData): Promise<void>;
  /** Deletes the record: the session is over (revoked or expired). */
  remove(idHash: string): Promise<void>;
  /**
   * Deletes the records unused since `idleBefore` (a device in kiosk mode with nobody signed in
   * excepted) and those created before `createdBefore`; how many.
   */
  sweep(idleBefore: number, createdBefore: number): Promise<number>;
  close(): Promise<void>;
}
