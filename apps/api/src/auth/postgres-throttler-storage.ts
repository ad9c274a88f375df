import type { OnModuleDestroy } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { Pool } from 'pg';

export interface PostgresThrottlerStorageOptions {
  readonly connectionString: string;
  /** The deployment's schema (DATABASE_SCHEMA): the counters sit beside the sessions. */
  readonly schema: string;
  /** @defaultValue 4 */
  readonly poolSize?: number;
  readonly now?: () => number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Rate-limit counters shared by every API node of one PostgreSQL deployment: the same
 * sliding-window counter as `WindowThrottlerStorage` (the current fixed window's hits plus the
 * previous window's, weighted by how much of it still overlaps the last ttl), one row per
 * client, so a client spreading its requests over the nodes gets the limit once, not once per
 * node.
 *
 * One statement per request, decided in the database: the upsert reads the row's old values,
 * rolls the window, counts the hit only when the client is under the limit and not blocked,
 * and starts a block when it is over; the row lock orders two nodes' hits of one client.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly pool: Pool;
  private readonly table: string;
  private readonly now: () => number;
  private readonly ready: Promise<unknown>;
  private sweeper?: NodeJS.Timeout;

  constructor(options: PostgresThrottlerStorageOptions) {
    if (!IDENTIFIER.test(options.schema)) throw new Error(`DATABASE_SCHEMA must be a lower-case SQL identifier: ${options.schema}`);
    const pool = new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 4 });
    pool.on('error', () => undefined);
    const table = `${options.schema}.rate_limit_windows`;
    this.pool = pool;
    this.table = table;
    this.now = options.now ?? Date.now;
    this.ready = (async () => {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
      await pool.query(
        `CREATE TABLE IF NOT EXISTS ${table} (
           key text PRIMARY KEY,
           start bigint NOT NULL,
           ttl integer NOT NULL,
           current integer NOT NULL,
           previous integer NOT NULL,
           blocked_until bigint NOT NULL
         )`,
      );
    })().catch((err: unknown) => {
      const code = (err as { code?: string }).code;
      if (code !== '23505' && code !== '42P07') throw err;
    });
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    _throttlerName: string,
  ): ReturnType<ThrottlerStorage['increment']> {
    await this.ready;
    const now = this.now();
    const start = now - (now % ttl);
    const block = blockDuration > 0 ? blockDuration : ttl;
    // $2 start of this window, $3 ttl, $4 now, $5 limit, $6 block length (typed where used). In SET, w.* are the old values.
    const previous = `(CASE WHEN w.start = $2::bigint THEN w.previous WHEN $2::bigint - w.start = $3::bigint THEN w.current ELSE 0 END)`;
    const current = `(CASE WHEN w.start = $2::bigint THEN w.current ELSE 0 END)`;
    const estimate = `(floor(${previous} * (($2::bigint + $3::bigint - $4::bigint)::float8 / $3::bigint)) + ${current})`;
    const refused = `(w.blocked_until > $4::bigint OR ${estimate} >= $5::integer)`;
    const { rows } = await this.pool.query<{ previous: number; current: number; blocked_until: string; counted: boolean }>(
      `INSERT INTO ${this.table} AS w (key, start, ttl, current, previous, blocked_until)
         VALUES ($1, $2::bigint, $3::bigint, CASE WHEN $5::integer > 0 THEN 1 ELSE 0 END, 0, CASE WHEN $5::integer > 0 THEN 0 ELSE $4::bigint + $6::bigint END)
       ON CONFLICT (key) DO UPDATE SET
         start = $2::bigint,
         ttl = $3::bigint,
         previous = ${previous},
         current = ${current} + CASE WHEN ${refused} THEN 0 ELSE 1 END,
         blocked_until = CASE WHEN w.blocked_until > $4::bigint THEN w.blocked_until WHEN ${estimate} >= $5::integer THEN $4::bigint + $6::bigint ELSE w.blocked_until END
       RETURNING previous, current, blocked_until, blocked_until <= $4::bigint AS counted`,
      [key, start, ttl, now, limit, block],
    );
    this.sweep(ttl);
    const row = rows[0];
    const weighted = Math.floor(row.previous * ((start + ttl - now) / ttl));
    const blockedUntil = Number(row.blocked_until);
    const timeToExpire = Math.ceil((start + ttl - now) / 1000);
    if (!row.counted) {
      return {
        totalHits: weighted + row.current + 1,
        timeToExpire,
        isBlocked: true,
        timeToBlockExpire: Math.ceil((blockedUntil - now) / 1000),
      };
    }
    return { totalHits: weighted + row.current, timeToExpire, isBlocked: false, timeToBlockExpire: 0 };
  }

  /** Forgets clients idle for two windows and not blocked (one node's sweep serves all). */
  private sweep(ttl: number): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => {
      const now = this.now();
      void this.pool.query(`DELETE FROM ${this.table} WHERE $1 - start >= 2 * ttl AND blocked_until <= $1`, [now]).catch(() => undefined);
    }, ttl);
    this.sweeper.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.sweeper);
    await this.pool.end();
  }
}
