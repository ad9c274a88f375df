import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { AppConfig } from '@civic/config';
import type { EventStore } from '@civic/event-store';
import { ProjectionRunner } from '@civic/projections';
import { APP_CONFIG, AUTH_CLOCK, EVENT_STORE } from '../tokens';
import type { AuthClock } from '../auth/auth-clock';
import { NOTIFICATION_STORE } from './notification.tokens';
import { NotificationPlanner, NOTIFYING_EVENTS } from './notification-planner';
import type { NotificationStore } from './notification-store.port';
import { NotificationWorker } from './notification-worker';
import { VotingReminders } from './voting-reminders';

const PAGE = 200;
const NOTIFYING = new Set<string>(NOTIFYING_EVENTS);
/** How often a node looks for events another node wrote (its own wake it at once). */
const POLL_MS = 1_000;

/**
 * Follows the history from its checkpoint in the outbox and queues the messages each event calls
 * for, moving the checkpoint in the same transaction: a restart resumes after the last page
 * stored, and nothing is queued twice or missed. On PostgreSQL the checkpoint is shared and moved
 * by compare-and-set, so of several nodes one queues each page. It reads only what the node's
 * read models have folded in (proposal titles, fund names), and never runs on a request's path.
 */
@Injectable()
export class NotificationReactor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(NotificationReactor.name);
  /** Tests hold this open to show that a command's answer never waits for the reactor. */
  beforePage?: () => Promise<void>;
  private loop?: Promise<void>;
  private stopped = false;
  private wake?: () => void;
  private kicked = false;
  /**
   * The read models' position when the reactor started: every event up to it is folded in
   * already; each one after it is folded in by this process, which `waitFor` can wait for.
   */
  private foldedAtStart: string = 'start';
  private pastStart = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NOTIFICATION_STORE) private readonly outbox: NotificationStore,
    @Inject(AUTH_CLOCK) private readonly clock: AuthClock,
    private readonly runner: ProjectionRunner,
    private readonly planner: NotificationPlanner,
    private readonly worker: NotificationWorker,
    private readonly reminders: VotingReminders,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.NOTIFICATIONS_EMAIL) return;
    this.foldedAtStart = this.runner.position;
    this.pastStart = this.foldedAtStart === 'start';
    this.runner.onFolded(() => this.kick());
    this.loop = this.follow();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.kick();
    await this.loop;
  }

  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Resolves once every event in the history has had its messages queued (for tests). */
  async caughtUp(): Promise<void> {
    for (;;) {
      const after = (await this.outbox.checkpoint()) ?? (await this.store.headPosition());
      const events = await this.store.readAll({ after, maxCount: 1, filter: { eventTypes: NOTIFYING_EVENTS } });
      if (events.length === 0) return;
      this.kick();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async follow(): Promise<void> {
    while (!this.stopped) {
      let progressed = false;
      try {
        progressed = await this.step();
        await this.reminders.sweep(this.clock.now());
      } catch (err) {
        this.log.error(`notification reactor failed: ${(err as Error).message}`);
      }
      if (progressed) this.worker.kick();
      else await this.idle();
    }
  }

  private idle(): Promise<void> {
    if (this.kicked || this.stopped) {
      this.kicked = false;
      return new Promise((resolve) => setImmediate(resolve));
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, POLL_MS);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    }).finally(() => (this.kicked = false));
  }

  /** One page of events: true when the checkpoint moved (here or on another node). */
  private async step(): Promise<boolean> {
    const from = await this.outbox.checkpoint();
    if (from === undefined) {
      // The first node to switch notifications on starts at the head: nothing about the past is sent.
      await this.outbox.advance(undefined, await this.store.headPosition(), [], this.clock.now());
      return true;
    }
    // Unfiltered, so that the page passes the read models' start position when it does.
    const events = await this.store.readAll({ after: from, maxCount: PAGE });
    if (events.length === 0) return false;
    await this.beforePage?.();
    if (this.stopped) return false; // the page is left to the next start (or another node)
    const last = events[events.length - 1];
    const startAt = this.pastStart ? -1 : events.findIndex((e) => e.position === this.foldedAtStart);
    const beyondStart = this.pastStart || (startAt >= 0 && startAt < events.length - 1);
    this.pastStart ||= startAt >= 0;
    // The titles and names messages quote come from the read models: wait until they hold the page.
    if (beyondStart) await this.runner.waitFor(last.position, 10_000).catch(() => undefined);
    const messages = [];
    for (const event of events) if (NOTIFYING.has(event.type)) messages.push(...(await this.planner.plan(event)));
    await this.outbox.advance(from, last.position, messages, this.clock.now());
    return true;
  }
}
