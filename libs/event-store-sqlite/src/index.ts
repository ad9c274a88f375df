export * from './sqlite-event-store';
export type { EventRow } from './statements';
export { BackgroundCheckpoint, type BackgroundCheckpointOptions } from './background-checkpoint';
