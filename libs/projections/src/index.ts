export * from './projection';
export * from './read-model-database';
export * from './projection-runner';
export * from './statement-cache';
export * from './snapshots/read-model-snapshots';
export * from './snapshots/snapshotter';
export * from './snapshots/write-overlay';
export * from './fold';
