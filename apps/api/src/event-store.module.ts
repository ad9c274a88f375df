import { Global, Inject, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { AppConfig } from '@civic/config';
import type { EventStore } from '@civic/event-store';
import { openEventStore } from '@civic/platform';
import { APP_CONFIG, EVENT_STORE } from './tokens';

const providers: Provider[] = [{ provide: EVENT_STORE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openEventStore(config) }];

/** The event store chosen by EVENT_STORE, opened at boot and closed (pending appends first) at shutdown. */
@Global()
@Module({ providers, exports: providers })
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
