import type { SessionData } from './web-session-data';

/**
 * A session's keys, both from its cookie's id (which only the browser holds): the SHA-256 its
 * record is found by, and a key its data may be sealed under, so that the records alone give
 * neither a cookie nor the API token kept in them.
 */
export interface WebSessionKey {
  readonly lookup: string;
  readonly sealKey: Buffer;
}

/** One web session's record. */
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
  insert(key: WebSessionKey, at: number, data: SessionData): Promise<void>;
  /** The record, or undefined when there is none or its data does not open under the key. */
  find(key: WebSessionKey): Promise<WebSessionRow | undefined>;
  /** Restarts the idle clock at `at` (never moves it back). */
  touch(lookup: string, at: number): Promise<void>;
  /** Replaces the data, restarting the idle clock (a kiosk's resident left: the device stays in kiosk mode). */
  replace(key: WebSessionKey, at: number, data: SessionData): Promise<void>;
  /** Deletes the record: the session is over (revoked or expired). */
  remove(lookup: string): Promise<void>;
  /**
   * Deletes the records unused since `idleBefore` (a device in kiosk mode with nobody signed in
   * excepted) and those created before `createdBefore`; how many.
   */
  sweep(idleBefore: number, createdBefore: number): Promise<number>;
  close(): Promise<void>;
}
