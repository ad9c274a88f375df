export * from './clock.port';
export * from './event-ids';
export * from './hmac-pseudonymiser';
export * from './key.port';
export * from './tokens';
