import { Inject, Injectable } from '@nestjs/common';
import { CommandRuntime } from '@civic/application';
import type { AppConfig } from '@civic/config';
import { streams } from '@civic/domain';
import { FundReader } from '../funds/fund.reader';
import { APP_CONFIG } from '../tokens';
import { NOTIFICATION_STORE } from './notification.tokens';
import { NotificationPlanner } from './notification-planner';
import { NotificationPreferences } from './notification-preferences';
import type { NewNotification, NotificationStore } from './notification-store.port';

/** How often the reminders are looked for. */
const SWEEP_MS = 60_000;

/**
 * The one message no event calls for: a day (NOTIFICATION_REMINDER_HOURS) before voting closes,
 * each opted-in resident who may vote and has no ballot in the fund is reminded, once (the
 * message's key names the fund and the resident, so a later sweep or another node queues none).
 */
@Injectable()
export class VotingReminders {
  private lastSweep = -Infinity;
  /** Reminders this node queued or found queued: not looked at again. */
  private readonly done = new Set<string>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(NOTIFICATION_STORE) private readonly outbox: NotificationStore,
    private readonly runtime: CommandRuntime,
    private readonly funds: FundReader,
    private readonly preferences: NotificationPreferences,
    private readonly planner: NotificationPlanner,
  ) {}

  /** Queues the reminders that are due, at most once a minute unless `force`. */
  async sweep(now: number, force = false): Promise<void> {
    if (!force && now - this.lastSweep < SWEEP_MS) return;
    this.lastSweep = now;
    const window = this.config.NOTIFICATION_REMINDER_HOURS * 3600_000;
    const messages: NewNotification[] = [];
    for (const fund of this.funds.list()) {
      const closesAt = fund.schedule.votingClosesAt.getTime();
      if (fund.phase !== 'voting_open' || now < closesAt - window || now >= closesAt) continue;
      for (const preference of await this.preferences.optedIn()) {
        const key = `reminder:${fund.id}:${closesAt}:${preference.residentId}`;
        if (this.done.has(key) || !(await this.planner.eligible(preference.residentId, fund.id))) continue;
        this.done.add(key);
        const reference = this.preferences.referenceOf(preference);
        if (
          !reference ||
          (await this.hasVoted(
            fund.id,
            fund.pots.map((p) => p.id),
            reference,
          ))
        )
          continue;
        messages.push({
          key,
          kind: 'voting-reminder',
          residentId: preference.residentId,
          params: {
            fundId: fund.id,
            fund: fund.name,
            closesAt: fund.schedule.votingClosesAt.toISOString(),
            link: this.planner.link(`/funds/${fund.id}/proposals`),
          },
        });
      }
    }
    if (messages.length > 0) await this.outbox.enqueue(messages, now);
  }

  private async hasVoted(fundId: string, potIds: readonly string[], reference: string): Promise<boolean> {
    const voter = await this.runtime.pseudonymiser.pseudonymFor({ kind: 'fund', fundId }, reference);
    for (const potId of potIds) {
      const events = await this.runtime.store.readStream(streams.ballot(potId, voter));
      if (events.length > 0 && events[events.length - 1].type !== 'BallotWithdrawn') return true;
    }
    return false;
  }
}
