export * from './open-event-store';
export * from './secrets';
