import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { AppConfig } from '@civic/config';
import { Counter } from 'prom-client';
import { FundReader } from '../funds/fund.reader';
import { APP_CONFIG, AUTH_CLOCK } from '../tokens';
import type { AuthClock } from '../auth/auth-clock';
import { Mailer } from '../auth/email-code/mailer';
import { Metrics } from '../observability/metrics';
import { RegisterLookup } from '../auth/register-lookup';
import { NOTIFICATION_STORE } from './notification.tokens';
import { NotificationPreferences } from './notification-preferences';
import type { NotificationKind, NotificationStore, QueuedNotification } from './notification-store.port';
import { renderMail } from './notification-texts';

const BATCH = 20;
const POLL_MS = 2_000;
/** A worker that dies holding messages leaves them to others after this. */
const LEASE_MS = 5 * 60_000;

/** The messages residents asked for (they stop when the resident opts out); the rest go to a proposal's author. */
const ASKED_FOR: ReadonlySet<NotificationKind> = new Set(['voting-opened', 'voting-reminder', 'ballot-receipt']);

/**
 * Drains the notification outbox: claims due messages, finds each recipient's address on the
 * register (through the vault: none for an erased resident, whose message is dropped), writes
 * the e-mail in their language and hands it to the SMTP server. A refusal is tried again with a
 * doubling delay (5 s … 15 min), NOTIFICATION_MAX_ATTEMPTS times at most; a restart resumes the queue.
 * A message given up after its last try is logged at error level (its id and kind, never its
 * recipient) and counted in `/metrics` as `civic_notifications_given_up_total{kind}`.
 */
@Injectable()
export class NotificationWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(NotificationWorker.name);
  /** Tests hold this open: a message claimed, not yet sent. */
  beforeSend?: (message: QueuedNotification) => Promise<void>;
  private running?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private stopping = false;
  private readonly givenUp: Counter<'kind'>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(NOTIFICATION_STORE) private readonly outbox: NotificationStore,
    @Inject(AUTH_CLOCK) private readonly clock: AuthClock,
    private readonly preferences: NotificationPreferences,
    private readonly register: RegisterLookup,
    private readonly funds: FundReader,
    private readonly mailer: Mailer,
    metrics: Metrics,
  ) {
    this.givenUp = new Counter({
      name: 'civic_notifications_given_up_total',
      help: 'E-mail notifications given up after NOTIFICATION_MAX_ATTEMPTS refused tries, by kind',
      labelNames: ['kind'] as const,
      registers: [metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.NOTIFICATIONS_EMAIL) return;
    this.timer = setInterval(() => this.kick(), POLL_MS).unref();
    this.kick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Starts draining unless it runs already (after the current turn: never inside a request's own). */
  kick(): void {
    if (this.running || this.stopping || !this.config.NOTIFICATIONS_EMAIL) return;
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.work())
      .catch((err: Error) => this.log.error(`notification worker failed: ${err.message}`))
      .finally(() => (this.running = undefined));
  }

  /** Resolves once no message is due (tests). */
  async settled(): Promise<void> {
    while (this.running || (await this.outbox.claim(this.clock.now(), 0, 1)).length > 0) {
      this.kick();
      await this.running;
    }
  }

  private async work(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const batch = await this.outbox.claim(now, now + LEASE_MS, BATCH);
      if (batch.length === 0) return;
      for (const [i, message] of batch.entries()) {
        await this.beforeSend?.(message);
        if (this.stopping) {
          // Stopped mid-batch: what was not sent goes back to the queue for the next start (or another node).
          for (const rest of batch.slice(i)) await this.outbox.release(rest.id);
          return;
        }
        await this.deliver(message);
      }
    }
  }

  private async deliver(message: QueuedNotification): Promise<void> {
    try {
      const outcome = await this.send(message);
      await this.outbox.finish(message.id, this.clock.now(), outcome);
    } catch (err) {
      // The code only: an SMTP server's message may quote the address.
      const code = (err as { responseCode?: number; code?: string }).responseCode ?? (err as { code?: string }).code;
      const tries = message.attempts + 1;
      const reason = String(code ?? 'error');
      if (tries >= this.config.NOTIFICATION_MAX_ATTEMPTS) {
        // Nobody will hear of it otherwise: an operator's alert, naming the message but not its recipient.
        this.log.error(`notification ${message.id} (${message.kind}) given up after ${tries} tries, never sent: ${reason}`);
        this.givenUp.inc({ kind: message.kind });
        await this.outbox.finish(message.id, this.clock.now(), 'dropped');
      } else {
        this.log.warn(`notification ${message.id} (${message.kind}) not sent (try ${tries}), tried again later: ${reason}`);
        await this.outbox.retry(message.id, this.clock.now() + Math.min(2 ** message.attempts * 5_000, 15 * 60_000));
      }
    }
  }

  private async send(message: QueuedNotification): Promise<'sent' | 'dropped'> {
    const preference = await this.preferences.get(message.residentId);
    if (ASKED_FOR.has(message.kind) && !preference?.optedIn) return 'dropped';
    const resident = await this.register.resident(message.residentId, '');
    const to = resident?.personal.email;
    if (!to) return 'dropped'; // erased (their address went with their key), or no address on the register
    const fundId = typeof message.params.fundId === 'string' ? message.params.fundId : undefined;
    const settingsLink = `${this.config.PUBLIC_WEB_ADDRESS.replace(/\/+$/, '')}/notifications`;
    const mail = renderMail(
      preference?.language ?? 'en',
      message.kind,
      { ...message.params, settingsLink },
      {
        footer: ASKED_FOR.has(message.kind) ? 'footer.optedIn' : 'footer.author',
        timeZone: fundId ? this.funds.get(fundId)?.timeZone : undefined,
      },
    );
    await this.mailer.send({ to, ...mail });
    return 'sent';
  }
}
