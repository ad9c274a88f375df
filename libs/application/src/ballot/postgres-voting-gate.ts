import { createHash } from 'node:crypto';
import { Client, Pool, type PoolClient } from 'pg';
import type { VotingGatePort } from './voting-gate';

/** Options of the gate shared by the API nodes of one PostgreSQL deployment. */
export interface PostgresVotingGateOptions {
  /** The server the nodes share, usually the event store's (DATABASE_URL). */
  readonly connectionString: string;
  /**
   * Connections of the gate's own pool: a ballot holds one while it runs, so this is also the
   * most ballots one node runs at once (the others wait for a connection, in order).
   * @defaultValue 10
   */
  readonly poolSize?: number;
  /**
   * Mixed into the lock keys with the fund id, so that deployments sharing a database (one
   * schema each) do not share gates. Every node of a deployment must use the same.
   * @defaultValue `civic-ledger`
   */
  readonly namespace?: string;
  /** How long to wait for a connection, in ms. @defaultValue 5000 */
  readonly connectTimeoutMs?: number;
}

/**
 * The advisory lock key of a fund's gate: the first 64 bits of SHA-256 of the namespace and the
 * fund id, as the signed decimal PostgreSQL's `bigint` takes. Stable across nodes, versions and
 * restarts; a collision between two funds only makes them wait for each other's close.
 */
export const votingGateKey = (namespace: string, fundId: string): string =>
  createHash('sha256').update(`${namespace}/voting-gate/${fundId}`, 'utf8').digest().readBigInt64BE(0).toString();

type Mode = { readonly lock: string; readonly unlock: string };
const SHARED: Mode = { lock: 'pg_advisory_lock_shared', unlock: 'pg_advisory_unlock_shared' };
const EXCLUSIVE: Mode = { lock: 'pg_advisory_lock', unlock: 'pg_advisory_unlock' };

/**
 * The voting gate of several API nodes on one PostgreSQL: a session-level advisory lock per
 * fund, shared by ballots and exclusive for the close, held for the whole of `run()`. Every
 * node sees the same lock, so a ballot on any node either completes before the close is
 * decided (and is counted) or is decided after it (`BALLOT.VOTING_CLOSED`).
 *
 * PostgreSQL queues a lock request behind a waiting one it conflicts with, so once the close
 * asks, new ballots on every node wait for it: a rush cannot starve the close. The close has
 * a connection of its own, so it never waits behind ballots queued for the pool. Should a
 * node die holding a lock, the server releases it with the session.
 */
export class PostgresVotingGate implements VotingGatePort {
  private readonly pool: Pool;
  private readonly namespace: string;

  constructor(private readonly options: PostgresVotingGateOptions) {
    this.namespace = options.namespace ?? 'civic-ledger';
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    });
    this.pool.on('error', () => undefined); // an idle connection dropped; the pool replaces it on next use
  }

  async ballot<T>(fundId: string, run: () => Promise<T>): Promise<T> {
    const key = votingGateKey(this.namespace, fundId);
    const client = await this.pool.connect();
    let released = false;
    try {
      await client.query(`SELECT ${SHARED.lock}($1::bigint)`, [key]);
      try {
        return await run();
      } finally {
        released = await unlock(client, SHARED, key);
      }
    } finally {
      // A session that may still hold the lock is destroyed, not pooled: the server releases its locks.
      client.release(released ? undefined : true);
    }
  }

  async close<T>(fundId: string, run: () => Promise<T>): Promise<T> {
    const key = votingGateKey(this.namespace, fundId);
    const client = new Client({
      connectionString: this.options.connectionString,
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? 5000,
    });
    client.on('error', () => undefined);
    await client.connect();
    try {
      await client.query(`SELECT ${EXCLUSIVE.lock}($1::bigint)`, [key]);
      try {
        return await run();
      } finally {
        await unlock(client, EXCLUSIVE, key);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Closes the gate's connections (at shutdown). */
  async end(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * Releases a lock; false when it could not (the connection broke). Never throws: a failed
 * unlock must not turn a recorded ballot into an error.
 */
const unlock = async (client: PoolClient | Client, mode: Mode, key: string): Promise<boolean> => {
  const { rows } = await client
    .query<{ released: boolean }>(`SELECT ${mode.unlock}($1::bigint) AS released`, [key])
    .catch(() => ({ rows: [] }));
  return rows[0]?.released === true;
};
