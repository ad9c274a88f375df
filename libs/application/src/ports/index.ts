export * from './clock.port';
export * from './event-ids';
export * from './hmac-pseudonymiser';
export * from './key.port';
export * from './personal-data-vault.port';
export * from './tokens';
export * from './contact-index.port';
