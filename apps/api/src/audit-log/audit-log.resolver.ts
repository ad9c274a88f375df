import { Inject } from '@nestjs/common';
import { Args, Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { DateTimeScalar } from '../graphql/date-time.scalar';
import type { EventStore, RecordedEvent } from '@civic/event-store';
import { Roles } from '../auth/roles.decorator';
import { ApiError } from '../errors/api-error';
import { FundReader } from '../funds/fund.reader';
import { EVENT_STORE } from '../tokens';

const PUBLISHED = new Set(['results_published', 'delivery', 'closed']);
export const MAX_AUDIT_PAGE = 500;

@ObjectType({ description: 'One event of the history, as an auditor reads it: voters appear as pseudonyms only.' })
export class AuditEvent {
  @Field({ description: 'Global position. Opaque; use as the cursor.' }) position!: string;
  @Field() streamName!: string;
  @Field(() => Int) revision!: number;
  @Field() id!: string;
  @Field() type!: string;
  @Field(() => DateTimeScalar) recordedAt!: Date;
  @Field({ description: 'The event’s data as JSON; a ballot’s marks are withheld until its fund’s results are published.' }) data!: string;
  @Field({ description: 'The event’s metadata as JSON: actor role and pseudonym, command, correlation, time, schema version, chain hash.' })
  metadata!: string;
  @Field({ description: 'True when part of the data is withheld until results are published.' }) redacted!: boolean;
}

@ObjectType()
export class AuditLogPage {
  @Field(() => [AuditEvent]) events!: AuditEvent[];
  @Field({ nullable: true, description: 'Pass as `after` for the next page; null at the end of the history.' }) endCursor?: string;
}

/** The history in global order, for auditors only. */
@Resolver()
export class AuditLogResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly funds: FundReader,
  ) {}

  @Roles('auditor')
  @Query(() => AuditLogPage, { description: 'The whole history in global order, a page at a time (auditors only).' })
  async auditLog(
    @Args('after', { type: () => String, nullable: true }) after: string | undefined,
    @Args('first', { type: () => Int, defaultValue: 100, description: `At most ${MAX_AUDIT_PAGE}.` }) first: number,
    @Args('streamCategory', { type: () => String, nullable: true }) streamCategory: string | undefined,
  ): Promise<AuditLogPage> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_AUDIT_PAGE)
      throw new ApiError('INPUT.INVALID', `first must be between 1 and ${MAX_AUDIT_PAGE}.`);
    const page = await this.store.readAll({
      after: after ?? 'start',
      maxCount: first,
      filter: streamCategory ? { streamCategories: [streamCategory] } : undefined,
    });
    return { events: page.map((e) => this.view(e)), endCursor: page.length === first ? page[page.length - 1].position : undefined };
  }

  private view(event: RecordedEvent): AuditEvent {
    const data = event.data as Record<string, unknown>;
    const hidden =
      event.streamName.startsWith('ballot-') && 'content' in data && !PUBLISHED.has(this.funds.get(String(data.fundId))?.phase ?? '');
    return {
      position: event.position,
      streamName: event.streamName,
      revision: event.revision,
      id: event.id,
      type: event.type,
      recordedAt: new Date(event.recordedAt),
      data: JSON.stringify(hidden ? { ...data, content: 'withheld until results are published' } : data),
      metadata: JSON.stringify(event.metadata),
      redacted: hidden,
    };
  }
}
