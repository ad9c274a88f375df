export * from './open-event-store';
