import { EventEmitter } from 'node:events';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PubSub } from 'graphql-subscriptions';
import type { RecordedEvent } from '@civic/event-store';
import { ProjectionRunner } from '@civic/projections';
import { LatestOnly } from './latest-only';

const BALLOT_EVENTS = new Set(['BallotCast', 'BallotReplaced', 'BallotWithdrawn', 'BallotVoided']);
/** Changes to who may vote: they move every pot's count of residents who may vote (`Tally.registered`). */
const REGISTER_EVENTS = new Set(['ResidentRegistered', 'ResidentVerified', 'ResidentWardAssigned', 'ResidentErased']);

const TALLY_PREFIX = 'tally:';
export const tallyTopic = (potId: string) => `${TALLY_PREFIX}${potId}`;
export const fundTopic = (fundId: string) => `fund:${fundId}`;

/** What a pot's topic carries after a folded batch: which pot moved, and the batch's last position. */
export interface TallyMessage {
  readonly potId: string;
  readonly position: string;
}

/**
 * Announces changes to subscribers once the read models hold them: after each folded batch,
 * one message per pot whose tally moved and per fund that changed. Subscribers then read the
 * aggregate from the read models (a pot's tally once per batch, shared by those who may see it),
 * so a message never carries more than they may see.
 */
@Injectable()
export class LiveUpdates implements OnModuleInit {
  private readonly emitter = new EventEmitter();
  readonly pubsub = new PubSub({ eventEmitter: this.emitter });

  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.onFolded((events) => this.announce(events));
  }

  /** A subscriber's messages on a pot's tally topic, only the latest kept while it is busy. */
  tallyMessages(potId: string): AsyncIterableIterator<TallyMessage> {
    return new LatestOnly<TallyMessage>(this.emitter, tallyTopic(potId));
  }

  /** How many subscriptions listen on a topic now: a subscription is registered once it listens. */
  listeners(topic: string): number {
    return this.emitter.listenerCount(topic);
  }

  private announce(events: readonly RecordedEvent[]): void {
    const pots = new Set<string>();
    const funds = new Set<string>();
    let register = false;
    for (const event of events) {
      const data = event.data as { potId?: unknown; fundId?: unknown };
      if (BALLOT_EVENTS.has(event.type) && typeof data.potId === 'string') pots.add(data.potId);
      if (event.streamName.startsWith('fund-') && typeof data.fundId === 'string') funds.add(data.fundId);
      if (REGISTER_EVENTS.has(event.type)) register = true;
    }
    // A register change: one message per batch to every pot someone follows (a 5,000-row import is a few batches).
    if (register)
      for (const topic of this.emitter.eventNames())
        if (typeof topic === 'string' && topic.startsWith(TALLY_PREFIX)) pots.add(topic.slice(TALLY_PREFIX.length));
    // The batch's last position names the message: subscribers of a pot share one payload per batch.
    const position = events[events.length - 1]?.position;
    for (const potId of pots) void this.pubsub.publish(tallyTopic(potId), { potId, position } satisfies TallyMessage);
    for (const fundId of funds) void this.pubsub.publish(fundTopic(fundId), { fundId });
  }
}
