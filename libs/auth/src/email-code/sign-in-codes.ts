import type Database from 'better-sqlite3';
import { openDatabase } from '../crypto/open-database';
import {
  CHALLENGE_KEPT_MS,
  type ChallengeOpening,
  type ChallengeRequest,
  type CodeChallenge,
  type OutboxJob,
  type SignInCodeStore,
} from './sign-in-code-store.port';

/**
 * Sign-in code challenges and the durable outbox that sends their mail, in one SQLite file
 * (the node's sessions file): a request writes its challenge and its job in one transaction and
 * returns; a worker does the rest off the request path, and a restart resumes the queue. One
 * node, one worker: jobs need no lease.
 */
export class SqliteSignInCodes implements SignInCodeStore {
  private readonly db: Database.Database;

  constructor(options: { path: string }) {
    this.db = openDatabase(
      options.path,
      `
      CREATE TABLE IF NOT EXISTS code_challenges (
        id TEXT PRIMARY KEY, address_hash TEXT NOT NULL, client_hash TEXT NOT NULL, created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, code_hash TEXT, subject_sealed TEXT, used_at INTEGER);
      CREATE INDEX IF NOT EXISTS code_challenges_by_address ON code_challenges (address_hash, created_at);
      CREATE INDEX IF NOT EXISTS code_challenges_by_client ON code_challenges (client_hash, created_at);
      CREATE TABLE IF NOT EXISTS outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, payload_sealed TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL, created_at INTEGER NOT NULL);`,
    );
  }

  async openChallenge(request: ChallengeRequest): Promise<ChallengeOpening> {
    return this.db
      .transaction(() => {
        const since = request.now - request.windowMs;
        const count = (column: string, value: string) =>
          (
            this.db.prepare(`SELECT count(*) AS n FROM code_challenges WHERE ${column} = ? AND created_at > ?`).get(value, since) as {
              n: number;
            }
          ).n;
        if (count('address_hash', request.addressHash) >= request.perAddress) return 'address-limited' as const;
        if (count('client_hash', request.clientHash) >= request.perClient) return 'client-limited' as const;
        this.db
          .prepare('INSERT INTO code_challenges (id, address_hash, client_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
          .run(request.id, request.addressHash, request.clientHash, request.now, request.expiresAt);
        this.db
          .prepare('INSERT INTO outbox (kind, payload_sealed, next_at, created_at) VALUES (?, ?, ?, ?)')
          .run(request.job.kind, request.job.payloadSealed, request.now, request.now);
        return 'opened' as const;
      })
      .immediate();
  }

  async challenge(id: string): Promise<CodeChallenge | undefined> {
    const row = this.db
      .prepare<[string], ChallengeRow>(
        'SELECT id, expires_at, attempts, code_hash, subject_sealed, used_at FROM code_challenges WHERE id = ?',
      )
      .get(id);
    return row ? challengeOf(row) : undefined;
  }

  async setCode(id: string, codeHash: string, subjectSealed: string): Promise<void> {
    this.db.prepare('UPDATE code_challenges SET code_hash = ?, subject_sealed = ? WHERE id = ?').run(codeHash, subjectSealed, id);
  }

  async wrongAttempt(id: string): Promise<number> {
    const row = this.db.prepare('UPDATE code_challenges SET attempts = attempts + 1 WHERE id = ? RETURNING attempts').get(id) as
      { attempts: number } | undefined;
    return row?.attempts ?? 0;
  }

  async consume(id: string, now: number, maxAttempts: number): Promise<boolean> {
    return (
      this.db.prepare('UPDATE code_challenges SET used_at = ? WHERE id = ? AND used_at IS NULL AND attempts < ?').run(now, id, maxAttempts)
        .changes === 1
    );
  }

  async claimJobs(now: number, limit: number): Promise<OutboxJob[]> {
    return this.db
      .prepare<[number, number], JobRow>('SELECT id, kind, payload_sealed, attempts FROM outbox WHERE next_at <= ? ORDER BY id LIMIT ?')
      .all(now, limit)
      .map(jobOf);
  }

  async hasDueJobs(now: number): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM outbox WHERE next_at <= ? LIMIT 1').get(now) !== undefined;
  }

  async finishJob(id: number): Promise<void> {
    this.db.prepare('DELETE FROM outbox WHERE id = ?').run(id);
  }

  async retryJob(id: number, nextAt: number): Promise<void> {
    this.db.prepare('UPDATE outbox SET attempts = attempts + 1, next_at = ? WHERE id = ?').run(nextAt, id);
  }

  async pendingJobs(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  }

  async purge(now: number): Promise<void> {
    this.db.prepare('DELETE FROM code_challenges WHERE expires_at < ?').run(now - CHALLENGE_KEPT_MS);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** A challenge's stored row (SQLite and PostgreSQL name its columns alike). */
export type ChallengeRow = {
  id: string;
  expires_at: number | string;
  attempts: number;
  code_hash: string | null;
  subject_sealed: string | null;
  used_at: number | string | null;
};
export type JobRow = { id: number | string; kind: string; payload_sealed: string; attempts: number };

export const challengeOf = (row: ChallengeRow): CodeChallenge => ({
  id: row.id,
  expiresAt: Number(row.expires_at),
  attempts: Number(row.attempts),
  codeHash: row.code_hash,
  subjectSealed: row.subject_sealed,
  usedAt: row.used_at === null ? null : Number(row.used_at),
});

export const jobOf = (row: JobRow): OutboxJob => ({
  id: Number(row.id),
  kind: row.kind,
  payloadSealed: row.payload_sealed,
  attempts: Number(row.attempts),
});
