import { randomInt } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { keyedHash, matchesKeyedHash, SecretBox, type KeyRing, type ContactIndex, type SignInCodeStore } from '@civic/auth';
import { AUTH_CLOCK, CONTACT_INDEX, PURPOSE_KEYS, SIGN_IN_CODES } from '../../tokens';
import type { AuthClock } from '../auth-clock';
import { RegisterLookup } from '../register-lookup';
import { Mailer } from './mailer';
import { NOTIFICATION_STORE } from '../../notifications/notification.tokens';
import type { NotificationStore } from '../../notifications/notification-store.port';
import { renderMail } from '../../notifications/notification-texts';

export const SIGN_IN_CODE_JOB = 'sign-in-code';
/** A job that fails (the SMTP server is down) is tried again later, at most this many times. */
const MAX_JOB_ATTEMPTS = 12;
const POLL_MS = 2_000;
/** How long a job claimed by one node's worker is withheld from the others (an SMTP send times out well within it). */
const JOB_LEASE_MS = 5 * 60_000;

type SignInCodeJob = { readonly challenge: string; readonly identifier: string };

/**
 * The durable outbox's worker: takes queued jobs in order, finds the resident a sign-in code is
 * for (by address through the keyed-hash index, or by reference through the register and the
 * vault), stores the code's keyed hash on its challenge and mails the code. Nothing here runs on
 * a request's path; a failure is retried with a growing delay, and a restart resumes the queue.
 */
@Injectable()
export class SignInOutbox implements OnApplicationBootstrap, OnModuleDestroy {
  /** Tests hold this open to show that a request never waits for the worker. */
  beforeJob?: () => Promise<void>;
  private running?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private readonly box: SecretBox;
  private readonly subjects: SecretBox;
  private readonly codeKeys: KeyRing;

  constructor(
    @Inject(SIGN_IN_CODES) private readonly codes: SignInCodeStore,
    @Inject(CONTACT_INDEX) private readonly contacts: ContactIndex,
    @Inject(AUTH_CLOCK) private readonly clock: AuthClock,
    @Inject(PURPOSE_KEYS) keys: (purpose: string) => KeyRing,
    private readonly register: RegisterLookup,
    private readonly mailer: Mailer,
    @Inject(NOTIFICATION_STORE) private readonly notifications: NotificationStore,
  ) {
    this.box = new SecretBox(keys('outbox'));
    this.subjects = new SecretBox(keys('sign-in-code/subject'));
    this.codeKeys = keys('sign-in-code');
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), POLL_MS).unref();
    this.kick();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  seal(job: SignInCodeJob): string {
    return this.box.seal(JSON.stringify(job));
  }

  /** The keyed hash a code is stored as, bound to its challenge (under the current key). */
  codeHash(challenge: string, code: string): string {
    return keyedHash(this.codeKeys[0], `${challenge}:${code}`);
  }

  /** Whether a typed code is the one stored for its challenge (hashed under the current key or a previous one). */
  matchesCode(challenge: string, code: string, stored: string): boolean {
    return matchesKeyedHash(this.codeKeys, `${challenge}:${code}`, stored);
  }

  openSubject(sealed: string): string | undefined {
    return this.subjects.open(sealed);
  }

  /** Starts the worker unless it runs (after the current turn: never inside a request's own). */
  kick(): void {
    if (this.running) return;
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.work())
      // The store unreachable (a shared PostgreSQL restarting): the next poll tries again.
      .catch(() => undefined)
      .finally(() => (this.running = undefined));
  }

  /** Resolves once the queue holds no job that is due (for tests and shutdown). */
  async settled(): Promise<void> {
    while (this.running || (await this.codes.hasDueJobs(this.clock.now()))) {
      this.kick();
      await this.running;
    }
  }

  /** Due jobs for this worker, leased to it where nodes share the queue. */
  private claim() {
    return this.codes.claimJobs(this.clock.now(), 20, JOB_LEASE_MS);
  }

  private async work(): Promise<void> {
    for (let jobs = await this.claim(); jobs.length > 0; jobs = await this.claim()) {
      for (const job of jobs) {
        await this.beforeJob?.();
        try {
          if (job.kind === SIGN_IN_CODE_JOB) await this.sendCode(JSON.parse(this.box.open(job.payloadSealed) ?? 'null'));
          await this.codes.finishJob(job.id);
        } catch {
          if (job.attempts + 1 >= MAX_JOB_ATTEMPTS) await this.codes.finishJob(job.id);
          else await this.codes.retryJob(job.id, this.clock.now() + Math.min(2 ** job.attempts * 5_000, 15 * 60_000));
        }
      }
    }
  }

  private async sendCode(job: SignInCodeJob | null): Promise<void> {
    if (!job) return;
    const resident = await this.find(job.identifier);
    if (!resident) return; // Not on the register (or several residents share the address): nothing is sent.
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await this.codes.setCode(job.challenge, this.codeHash(job.challenge, code), this.subjects.seal(resident.reference));
    // In the language the resident chose for e-mails; in English then Bengali until they chose.
    const language = (await this.notifications.preference(resident.residentId))?.language;
    const mail = renderMail(language ?? 'en', 'sign-in-code', { code });
    const text = language ? mail.text : `${mail.text}\n${renderMail('bn', 'sign-in-code', { code }).text}`;
    await this.mailer.send({ to: resident.email, subject: mail.subject, text });
  }

  /** By address: the one resident the index holds for it (none when several share it); by reference: the register's. */
  private async find(identifier: string): Promise<{ residentId: string; reference: string; email: string } | undefined> {
    let resident;
    if (identifier.includes('@')) {
      const found = await this.contacts.findByEmail(identifier);
      resident = found.length === 1 ? await this.register.resident(found[0].residentId, found[0].reference) : undefined;
    } else {
      resident = await this.register.byReference(identifier);
    }
    return resident?.personal.email
      ? { residentId: resident.residentId, reference: resident.reference, email: resident.personal.email }
      : undefined;
  }
}
