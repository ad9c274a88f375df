import type Database from 'better-sqlite3';
import { openDatabase } from '../crypto/open-database';

/** A code challenge as stored: the code itself only as a keyed hash, the resident's reference sealed. */
export interface CodeChallenge {
  readonly id: string;
  readonly expiresAt: number;
  readonly attempts: number;
  readonly codeHash: string | null;
  readonly subjectSealed: string | null;
  readonly usedAt: number | null;
}

/** A queued job: sealed, since it holds what a resident typed. */
export interface OutboxJob {
  readonly id: number;
  readonly kind: string;
  readonly payloadSealed: string;
  readonly attempts: number;
}

/**
 * Sign-in code challenges and the durable outbox that sends their mail, in one SQLite file
 * (the node's sessions file): a request writes its challenge and its job in one transaction and
 * returns; a worker does the rest off the request path, and a restart resumes the queue.
 */
export class SqliteSignInCodes {
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

  /**
   * Opens a challenge and queues its job, unless the address or the client asked too often within
   * the window: then nothing is written and the answer says which limit.
   */
  openChallenge(request: {
    id: string;
    addressHash: string;
    clientHash: string;
    now: number;
    expiresAt: number;
    windowMs: number;
    perAddress: number;
    perClient: number;
    job: { kind: string; payloadSealed: string };
  }): 'opened' | 'address-limited' | 'client-limited' {
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
        this.enqueue(request.job.kind, request.job.payloadSealed, request.now);
        return 'opened' as const;
      })
      .immediate();
  }

  enqueue(kind: string, payloadSealed: string, now: number): void {
    this.db
      .prepare('INSERT INTO outbox (kind, payload_sealed, next_at, created_at) VALUES (?, ?, ?, ?)')
      .run(kind, payloadSealed, now, now);
  }

  challenge(id: string): CodeChallenge | undefined {
    const row = this.db
      .prepare<
        [string],
        {
          id: string;
          expires_at: number;
          attempts: number;
          code_hash: string | null;
          subject_sealed: string | null;
          used_at: number | null;
        }
      >('SELECT id, expires_at, attempts, code_hash, subject_sealed, used_at FROM code_challenges WHERE id = ?')
      .get(id);
    return row
      ? {
          id: row.id,
          expiresAt: row.expires_at,
          attempts: row.attempts,
          codeHash: row.code_hash,
          subjectSealed: row.subject_sealed,
          usedAt: row.used_at,
        }
      : undefined;
  }

  setCode(id: string, codeHash: string, subjectSealed: string): void {
    this.db.prepare('UPDATE code_challenges SET code_hash = ?, subject_sealed = ? WHERE id = ?').run(codeHash, subjectSealed, id);
  }

  /** Counts a wrong try; the tries so far. */
  wrongAttempt(id: string): number {
    return (
      this.db.prepare('UPDATE code_challenges SET attempts = attempts + 1 WHERE id = ? RETURNING attempts').get(id) as { attempts: number }
    ).attempts;
  }

  /** Uses the code once: false when it was used already (two tries at once: one wins). */
  consume(id: string, now: number): boolean {
    return this.db.prepare('UPDATE code_challenges SET used_at = ? WHERE id = ? AND used_at IS NULL').run(now, id).changes === 1;
  }

  dueJobs(now: number, limit = 20): OutboxJob[] {
    return this.db
      .prepare<[number, number], { id: number; kind: string; payload_sealed: string; attempts: number }>(
        'SELECT id, kind, payload_sealed, attempts FROM outbox WHERE next_at <= ? ORDER BY id LIMIT ?',
      )
      .all(now, limit)
      .map((row) => ({ id: row.id, kind: row.kind, payloadSealed: row.payload_sealed, attempts: row.attempts }));
  }

  finishJob(id: number): void {
    this.db.prepare('DELETE FROM outbox WHERE id = ?').run(id);
  }

  retryJob(id: number, nextAt: number): void {
    this.db.prepare('UPDATE outbox SET attempts = attempts + 1, next_at = ? WHERE id = ?').run(nextAt, id);
  }

  pendingJobs(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  }

  /** Drops challenges a day past their expiry. */
  purge(now: number): void {
    this.db.prepare('DELETE FROM code_challenges WHERE expires_at < ?').run(now - 24 * 3600_000);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
