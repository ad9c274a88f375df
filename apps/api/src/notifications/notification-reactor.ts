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
 * by compare-and-set, so of several nodes one queues each page. What messages quote is read from
 * the event store (see NotificationPlanner), which holds every event a page has: so a node plans
 * a page whatever its own read models have folded, even one another node's checkpoint jumped to.
 * It never runs on a request's path.
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
   * The head of the history when this node started, before it took any request: where the very
   * first checkpoint is put when none is stored yet. Notifications begin with the events after it;
   * nothing before notifications were switched on is sent.
   */
  private headAtStart: string = 'start';

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

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.NOTIFICATIONS_EMAIL) return;
    // Read before the server listens: an event this node appends for a request comes after it.
    this.headAtStart = await this.store.headPosition();
    // Only a wake-up: an event this node appended is planned at once, not at the next poll.
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
      const after = (await this.outbox.checkpoint()) ?? this.headAtStart;
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
      // The first node to switch notifications on starts where the history stood when it started,
      // not where it stands now: what was appended since (through this node or another) is sent.
      await this.outbox.advance(undefined, this.headAtStart, [], this.clock.now());
      return true;
    }
    // Unfiltered, so that the checkpoint moves past a page with nothing to send.
    const events = await this.store.readAll({ after: from, maxCount: PAGE });
    if (events.length === 0) return false;
    await this.beforePage?.();
    if (this.stopped) return false; // the page is left to the next start (or another node)
    const last = events[events.length - 1];
    const messages = [];
    for (const event of events) if (NOTIFYING.has(event.type)) messages.push(...(await this.planner.plan(event)));
    await this.outbox.advance(from, last.position, messages, this.clock.now());
    return true;
  }
}
