import { Global, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { AppConfig } from '@civic/config';
import type { EventStore } from '@civic/event-store';
import { ProjectionRunner, ReadModelDatabase } from '@civic/projections';
import { APP_CONFIG, EVENT_STORE } from '../tokens';
import { PROJECTIONS } from '@civic/read-models';

export const READ_MODELS = Symbol('READ_MODELS');

const providers: Provider[] = [
  {
    provide: READ_MODELS,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ReadModelDatabase.open(config.READ_MODEL_PATH, PROJECTIONS),
  },
  {
    provide: ProjectionRunner,
    inject: [EVENT_STORE, READ_MODELS],
    useFactory: (store: EventStore, readModels: ReadModelDatabase) => new ProjectionRunner(store, readModels),
  },
];

/** The node-local read models, caught up before the API takes requests and stopped (checkpoint stored) at shutdown. */
@Global()
@Module({ providers, exports: providers })
export class ReadModelsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(READ_MODELS) private readonly readModels: ReadModelDatabase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    this.readModels.close();
  }
}
