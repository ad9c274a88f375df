import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { EventStore } from '@civic/event-store';
import type { AuditTrail } from './audit-log/audit-trail';
import { AUDIT_TRAIL, EVENT_STORE } from './tokens';

/** The event store opened at boot (see createApp), its audit checkpointer, and both closed in order at shutdown. */
@Module({})
export class EventStoreModule {
  static forRoot(store: EventStore, trail: AuditTrail, release: readonly (() => Promise<unknown>)[] = []): DynamicModule {
    class EventStoreLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
      onApplicationBootstrap(): void {
        trail.checkpointer.start();
      }

      // Before anything stops: the last checkpoint covers the tail while the store is open.
      async beforeApplicationShutdown(): Promise<void> {
        await trail.close();
      }

      // Runs after the read models stop (modules shut down in reverse order of import).
      async onApplicationShutdown(): Promise<void> {
        await store.close();
        for (const done of release) await done();
      }
    }
    const providers = [{ provide: EVENT_STORE, useValue: store }, { provide: AUDIT_TRAIL, useValue: trail }, EventStoreLifecycle];
    return { module: EventStoreModule, global: true, providers, exports: [EVENT_STORE, AUDIT_TRAIL] };
  }
}
