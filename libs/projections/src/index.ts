export * from './projection';
export * from './read-model-database';
export * from './projection-runner';
export * from './statement-cache';
