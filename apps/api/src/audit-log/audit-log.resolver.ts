import { Inject } from '@nestjs/common';
import { Args, Context, Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import type { Phase } from '@civic/domain';
import { redactEvent, type Viewer } from '@civic/policy';
import { DateTimeScalar } from '../graphql/date-time.scalar';
import { InvalidInputError, type EventStore, type RecordedEvent } from '@civic/event-store';
import type { RequestContext } from '../auth/access.guard';
import { viewer } from '../auth/embargo';
import { Public } from '../auth/roles.decorator';
import { ApiError } from '../errors/api-error';
import { FundReader } from '../funds/fund.reader';
import { EVENT_STORE } from '../tokens';

export const MAX_AUDIT_PAGE = 500;
/** Most events of one stream the log browser reads (a fund's stream, the longest, holds a few hundred). */
export const MAX_STREAM_READ = 10_000;

@ObjectType({ description: 'One event of the history, as the embargo lets the caller read it: voters appear as pseudonyms only.' })
export class AuditEvent {
  @Field({ description: 'Global position. Opaque; use as the cursor.' }) position!: string;
  @Field() streamName!: string;
  @Field(() => Int) revision!: number;
  @Field() id!: string;
  @Field() type!: string;
  @Field(() => DateTimeScalar) recordedAt!: Date;
  @Field({
    description:
      'The event’s data as JSON, as the embargo allows (e.g. ballot marks and allocations withheld until the fund’s results are published).',
  })
  data!: string;
  @Field({ description: 'The event’s metadata as JSON: actor role and pseudonym, command, correlation, time, schema version, chain hash.' })
  metadata!: string;
  @Field({ description: 'True when part of the event is withheld or coarsened by the embargo (personal data included).' })
  redacted!: boolean;
}

@ObjectType()
export class AuditLogPage {
  @Field(() => [AuditEvent]) events!: AuditEvent[];
  @Field({ nullable: true, description: 'Pass as `after` for the next page; null at the end of the history.' }) endCursor?: string;
}

/** The history in global order, each event as the embargo lets the caller see it (the public export's lines). */
@Resolver()
export class AuditLogResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly funds: FundReader,
  ) {}

  @Public()
  @Query(() => AuditLogPage, {
    description: 'The whole history in global order, a page at a time, each event as the embargo lets the caller see it.',
  })
  async auditLog(
    @Args('after', { type: () => String, nullable: true }) after: string | undefined,
    @Args('first', { type: () => Int, defaultValue: 100, description: `At most ${MAX_AUDIT_PAGE}.` }) first: number,
    @Args('streamCategory', { type: () => String, nullable: true }) streamCategory: string | undefined,
    @Args('streamName', {
      type: () => String,
      nullable: true,
      description: `Only the events of this one stream (category-id, e.g. fund-…), in their order; at most its first ${MAX_STREAM_READ} events.`,
    })
    streamName: string | undefined,
    @Args('eventType', { type: () => String, nullable: true, description: 'Only events of this type (e.g. BallotCast).' })
    eventType: string | undefined,
    @Context() ctx: RequestContext,
  ): Promise<AuditLogPage> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_AUDIT_PAGE)
      throw new ApiError('INPUT.INVALID', `first must be between 1 and ${MAX_AUDIT_PAGE}.`);
    for (const [field, value] of [
      ['streamCategory', streamCategory],
      ['streamName', streamName],
      ['eventType', eventType],
    ] as const)
      if (value != null && (value.length === 0 || value.length > 200))
        throw new ApiError('INPUT.INVALID', `${field} must be 1 to 200 characters.`);
    const page = streamName
      ? await this.streamPage(streamName, after ?? undefined, first, streamCategory ?? undefined, eventType ?? undefined)
      : await this.store.readAll({
          after: after ?? 'start',
          maxCount: first,
          filter:
            streamCategory || eventType
              ? {
                  ...(streamCategory ? { streamCategories: [streamCategory] } : {}),
                  ...(eventType ? { eventTypes: [eventType] } : {}),
                }
              : undefined,
        });
    const who = viewer(ctx);
    // Each fund's phase now, read once a page (every event of the page is at or before now).
    const phases = new Map<string, readonly Phase[]>();
    const phaseOf = (fundId: string) => {
      let known = phases.get(fundId);
      if (!known) {
        const fund = this.funds.get(fundId);
        phases.set(fundId, (known = fund ? [String(fund.phase) as Phase] : []));
      }
      return known;
    };
    return {
      events: page.map((e) => this.view(e, who, phaseOf)),
      endCursor: page.length === first ? page[page.length - 1].position : undefined,
    };
  }

  /** One stream's events after the event at `after` (a position of that stream), filtered, at most `first`. */
  private async streamPage(
    streamName: string,
    after: string | undefined,
    first: number,
    category: string | undefined,
    type: string | undefined,
  ): Promise<RecordedEvent[]> {
    if (category && !streamName.startsWith(`${category}-`)) return [];
    let events: RecordedEvent[];
    try {
      events = await this.store.readStream(streamName, { maxCount: MAX_STREAM_READ });
    } catch (err) {
      if (err instanceof InvalidInputError) throw new ApiError('INPUT.INVALID', 'streamName is not the name of a stream.');
      throw err;
    }
    let from = 0;
    if (after !== undefined) {
      from = events.findIndex((e) => e.position === after) + 1;
      if (from === 0) throw new ApiError('INPUT.INVALID', 'after is not a position of this stream.');
    }
    return events
      .slice(from)
      .filter((e) => !type || e.type === type)
      .slice(0, first);
  }

  private view(event: RecordedEvent, who: Viewer, phaseOf: (fundId: string) => readonly Phase[]): AuditEvent {
    const { data, metadata, recordedAt, redacted } = redactEvent(event, who, phaseOf);
    return {
      position: event.position,
      streamName: event.streamName,
      revision: event.revision,
      id: event.id,
      type: event.type,
      recordedAt: new Date(recordedAt),
      data: JSON.stringify(data),
      metadata: JSON.stringify(metadata),
      redacted: redacted.length > 0,
    };
  }
}
