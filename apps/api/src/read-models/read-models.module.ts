import { Global, Inject, Module, Optional, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { AppConfig } from '@civic/config';
import type { EventStore } from '@civic/event-store';
import { ProjectionRunner, ReadModelDatabase, ReadModelSnapshots, Snapshotter } from '@civic/projections';
import { APP_CONFIG, EVENT_STORE } from '../tokens';
import { PROJECTIONS, TIME_TRAVEL_PROJECTIONS, TIME_TRAVEL_SET_APART } from '@civic/read-models';

export const READ_MODELS = Symbol('READ_MODELS');
/** Time travel's snapshots of the read models, beside the read-model file (none when it is in memory). */
export const SNAPSHOTS = Symbol('SNAPSHOTS');

const providers: Provider[] = [
  {
    provide: READ_MODELS,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ReadModelDatabase.open(config.READ_MODEL_PATH, PROJECTIONS),
  },
  {
    provide: SNAPSHOTS,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) =>
      config.READ_MODEL_PATH === ':memory:'
        ? undefined
        : new ReadModelSnapshots(`${config.READ_MODEL_PATH}.snapshots`, TIME_TRAVEL_PROJECTIONS, { apart: TIME_TRAVEL_SET_APART }),
  },
  {
    provide: Snapshotter,
    inject: [APP_CONFIG, READ_MODELS, SNAPSHOTS],
    useFactory: (config: AppConfig, readModels: ReadModelDatabase, snapshots: ReadModelSnapshots | undefined) =>
      snapshots && new Snapshotter(readModels, snapshots, config.TIME_TRAVEL_SNAPSHOT_EVERY),
  },
  {
    provide: ProjectionRunner,
    inject: [EVENT_STORE, READ_MODELS, Snapshotter],
    useFactory: (store: EventStore, readModels: ReadModelDatabase, snapshotter: Snapshotter | undefined) =>
      new ProjectionRunner(store, readModels, { afterBatch: snapshotter?.afterBatch }),
  },
];

/** The node-local read models, caught up before the API takes requests and stopped (checkpoint stored) at shutdown. */
@Global()
@Module({ providers, exports: providers })
export class ReadModelsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(READ_MODELS) private readonly readModels: ReadModelDatabase,
    @Optional() private readonly snapshotter?: Snapshotter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.snapshotter?.stop();
    this.readModels.close();
  }
}
