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

/** A request for a code: the challenge to open, the limits it must stay within, and its job. */
export interface ChallengeRequest {
  readonly id: string;
  readonly addressHash: string;
  readonly clientHash: string;
  readonly now: number;
  readonly expiresAt: number;
  readonly windowMs: number;
  readonly perAddress: number;
  readonly perClient: number;
  readonly job: { readonly kind: string; readonly payloadSealed: string };
}

export type ChallengeOpening = 'opened' | 'address-limited' | 'client-limited';

/**
 * Sign-in code challenges and the durable outbox that mails their codes. One node keeps them
 * in its sessions file; nodes sharing PostgreSQL keep them in `DATABASE_SCHEMA`, so a code asked
 * for through one node is redeemed through any, once, its wrong tries and its requests' limits
 * counted for all nodes together, and its mail sent by one of them.
 */
export interface SignInCodeStore {
  /**
   * Opens a challenge and queues its job, unless the address or the client asked too often within
   * the window: then nothing is written and the answer says which limit.
   */
  openChallenge(request: ChallengeRequest): Promise<ChallengeOpening>;
  challenge(id: string): Promise<CodeChallenge | undefined>;
  setCode(id: string, codeHash: string, subjectSealed: string): Promise<void>;
  /** Counts a wrong try; the tries so far. */
  wrongAttempt(id: string): Promise<number>;
  /**
   * Uses the code once: false when it was used already (two tries at once: one wins) or when
   * `maxAttempts` wrong tries locked it meanwhile.
   */
  consume(id: string, now: number, maxAttempts: number): Promise<boolean>;
  /**
   * Due jobs, oldest first, for this worker: where several nodes share the queue, a job handed
   * out is not handed to another worker until `leaseMs` have passed (a worker that died mid-job
   * loses it then); finishing or retrying a job ends its lease.
   */
  claimJobs(now: number, limit: number, leaseMs: number): Promise<OutboxJob[]>;
  /** Whether a job is due (claimed ones are not until their lease ends). */
  hasDueJobs(now: number): Promise<boolean>;
  finishJob(id: number): Promise<void>;
  retryJob(id: number, nextAt: number): Promise<void>;
  pendingJobs(): Promise<number>;
  /** Drops challenges a day past their expiry. */
  purge(now: number): Promise<void>;
  close(): Promise<void>;
}

/** How long past its expiry a challenge is kept (then purged). */
export const CHALLENGE_KEPT_MS = 24 * 3600_000;
