import { Inject } from '@nestjs/common';
import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import type { AppConfig } from '@civic/config';
import type { EventStore } from '@civic/event-store';
import { Public } from '../auth/roles.decorator';
import { APP_CONFIG, EVENT_STORE } from '../tokens';
import { version } from '../../../../package.json';

@ObjectType({ description: 'What is running and how far its history goes.' })
export class Version {
  @Field({ description: 'The platform release.' })
  version!: string;

  @Field({ description: 'The event store adapter: sqlite, postgres or eventstoredb.' })
  eventStore!: string;

  @Field({ description: 'The global position of the last recorded event, or "start". Opaque.' })
  headPosition!: string;
}

@Resolver(() => Version)
export class VersionResolver {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Public()
  @Query(() => Version, { description: 'The running release and its event store.' })
  async version(): Promise<Version> {
    return { version, eventStore: this.config.EVENT_STORE, headPosition: await this.store.headPosition() };
  }
}
