import { PostgresTables } from '../postgres/postgres-tables';
import { challengeOf, jobOf, type ChallengeRow, type JobRow } from './sign-in-codes';
import { CHALLENGE_KEPT_MS } from './sign-in-code-store.port';
import type * as Port from './sign-in-code-store.port';

/**
 * Sign-in code challenges and their outbox in `DATABASE_SCHEMA`, shared by every API node: a
 * code asked for through one node is redeemed through any. A redemption uses its code with one
 * conditional UPDATE, which PostgreSQL orders on the row's lock: of two at once, on any nodes,
 * one wins. Wrong tries are counted on the row, for all nodes together. A request's limits per
 * address and per client are checked and its challenge written under advisory locks on that
 * address and that client, so two nodes cannot both let the last request of a window through.
 * Any node's worker may send a mail: a job is leased to the worker that claims it.
 */
export class PostgresSignInCodes implements Port.SignInCodeStore {
  private readonly tables: PostgresTables;

  constructor(options: { connectionString: string; schema: string }) {
    this.tables = new PostgresTables({
      ...options,
      ddl: (schema) => `
        CREATE TABLE IF NOT EXISTS ${schema}.sign_in_code_challenges (
          id TEXT PRIMARY KEY, address_hash TEXT NOT NULL, client_hash TEXT NOT NULL, created_at BIGINT NOT NULL,
          expires_at BIGINT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, code_hash TEXT, subject_sealed TEXT, used_at BIGINT);
        CREATE INDEX IF NOT EXISTS sign_in_code_challenges_by_address ON ${schema}.sign_in_code_challenges (address_hash, created_at);
        CREATE INDEX IF NOT EXISTS sign_in_code_challenges_by_client ON ${schema}.sign_in_code_challenges (client_hash, created_at);
        CREATE TABLE IF NOT EXISTS ${schema}.sign_in_outbox (
          id BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL, payload_sealed TEXT NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0, next_at BIGINT NOT NULL, created_at BIGINT NOT NULL);
        CREATE INDEX IF NOT EXISTS sign_in_outbox_by_due ON ${schema}.sign_in_outbox (next_at);`,
    });
  }

  private get challenges(): string {
    return `${this.tables.schema}.sign_in_code_challenges`;
  }

  private get outbox(): string {
    return `${this.tables.schema}.sign_in_outbox`;
  }

  /** Resolves once the tables exist. */
  ready(): Promise<void> {
    return this.tables.whenReady();
  }

  openChallenge(request: Port.ChallengeRequest): Promise<Port.ChallengeOpening> {
    return this.tables.transaction(async (client) => {
      // Always taken in the same order, so two requests never wait for each other's second lock.
      const locks = [`address:${request.addressHash}`, `client:${request.clientHash}`].sort();
      for (const lock of locks) await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`civic-ledger/sign-in-code/${lock}`]);
      const since = request.now - request.windowMs;
      const count = async (column: string, value: string) =>
        (
          await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${this.challenges} WHERE ${column} = $1 AND created_at > $2`, [
            value,
            since,
          ])
        ).rows[0].n;
      if ((await count('address_hash', request.addressHash)) >= request.perAddress) return 'address-limited';
      if ((await count('client_hash', request.clientHash)) >= request.perClient) return 'client-limited';
      await client.query(
        `INSERT INTO ${this.challenges} (id, address_hash, client_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
        [request.id, request.addressHash, request.clientHash, request.now, request.expiresAt],
      );
      await client.query(`INSERT INTO ${this.outbox} (kind, payload_sealed, next_at, created_at) VALUES ($1, $2, $3, $3)`, [
        request.job.kind,
        request.job.payloadSealed,
        request.now,
      ]);
      return 'opened';
    });
  }

  async challenge(id: string): Promise<Port.CodeChallenge | undefined> {
    const { rows } = await this.tables.query<ChallengeRow>(
      `SELECT id, expires_at, attempts, code_hash, subject_sealed, used_at FROM ${this.challenges} WHERE id = $1`,
      [id],
    );
    return rows[0] ? challengeOf(rows[0]) : undefined;
  }

  async setCode(id: string, codeHash: string, subjectSealed: string): Promise<void> {
    await this.tables.query(`UPDATE ${this.challenges} SET code_hash = $1, subject_sealed = $2 WHERE id = $3`, [
      codeHash,
      subjectSealed,
      id,
    ]);
  }

  async wrongAttempt(id: string): Promise<number> {
    const { rows } = await this.tables.query<{ attempts: number }>(
      `UPDATE ${this.challenges} SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts`,
      [id],
    );
    return rows[0]?.attempts ?? 0;
  }

  async consume(id: string, now: number, maxAttempts: number): Promise<boolean> {
    const { rowCount } = await this.tables.query(
      `UPDATE ${this.challenges} SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND attempts < $3`,
      [now, id, maxAttempts],
    );
    return rowCount === 1;
  }

  async claimJobs(now: number, limit: number, leaseMs: number): Promise<Port.OutboxJob[]> {
    const { rows } = await this.tables.query<JobRow>(
      `UPDATE ${this.outbox} SET next_at = $1::bigint + $3::bigint
       WHERE id IN (SELECT id FROM ${this.outbox} WHERE next_at <= $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id, kind, payload_sealed, attempts`,
      [now, limit, leaseMs],
    );
    return rows.map(jobOf).sort((a, b) => a.id - b.id);
  }

  async hasDueJobs(now: number): Promise<boolean> {
    return ((await this.tables.query(`SELECT 1 FROM ${this.outbox} WHERE next_at <= $1 LIMIT 1`, [now])).rowCount ?? 0) > 0;
  }

  async finishJob(id: number): Promise<void> {
    await this.tables.query(`DELETE FROM ${this.outbox} WHERE id = $1`, [id]);
  }

  async retryJob(id: number, nextAt: number): Promise<void> {
    await this.tables.query(`UPDATE ${this.outbox} SET attempts = attempts + 1, next_at = $1 WHERE id = $2`, [nextAt, id]);
  }

  async pendingJobs(): Promise<number> {
    return (await this.tables.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${this.outbox}`)).rows[0].n;
  }

  async purge(now: number): Promise<void> {
    await this.tables.query(`DELETE FROM ${this.challenges} WHERE expires_at < $1`, [now - CHALLENGE_KEPT_MS]);
  }

  close(): Promise<void> {
    return this.tables.close();
  }
}
