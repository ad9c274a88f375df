export * from './open-event-store';
export * from './secrets';
export * from './writer-lock';
export * from './project-root';
