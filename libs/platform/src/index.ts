export * from './open-event-store';
export * from './secrets';
export * from './project-root';
