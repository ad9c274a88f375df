import { type DynamicModule, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '@civic/event-store';
import { EVENT_STORE } from './tokens';

/** The event store opened at boot (see createApp), closed with pending appends flushed at shutdown. */
@Module({})
export class EventStoreModule {
  static forRoot(store: EventStore): DynamicModule {
    class EventStoreLifecycle implements OnApplicationShutdown {
      // Runs after the read models stop (modules shut down in reverse order of import).
      async onApplicationShutdown(): Promise<void> {
        await store.close();
      }
    }
    const providers = [{ provide: EVENT_STORE, useValue: store }, EventStoreLifecycle];
    return { module: EventStoreModule, global: true, providers, exports: [EVENT_STORE] };
  }
}
