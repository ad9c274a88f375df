import { Inject } from '@nestjs/common';
import { Args, Context, Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import type { Phase } from '@civic/domain';
import { redactEvent, type Viewer } from '@civic/policy';
import { DateTimeScalar } from '../graphql/date-time.scalar';
import type { EventStore, RecordedEvent } from '@civic/event-store';
import type { RequestContext } from '../auth/access.guard';
import { viewer } from '../auth/embargo';
import { Public } from '../auth/roles.decorator';
import { ApiError } from '../errors/api-error';
import { FundReader } from '../funds/fund.reader';
import { EVENT_STORE } from '../tokens';

export const MAX_AUDIT_PAGE = 500;

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
    @Context() ctx: RequestContext,
  ): Promise<AuditLogPage> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_AUDIT_PAGE)
      throw new ApiError('INPUT.INVALID', `first must be between 1 and ${MAX_AUDIT_PAGE}.`);
    const page = await this.store.readAll({
      after: after ?? 'start',
      maxCount: first,
      filter: streamCategory ? { streamCategories: [streamCategory] } : undefined,
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
