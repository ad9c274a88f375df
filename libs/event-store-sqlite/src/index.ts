export * from './sqlite-event-store';
export type { EventRow } from './statements';
