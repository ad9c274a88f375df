/**
 * @civic/auth: signing in. Server-side sessions (the API's tokens only name them), their
 * stores, and the sign-in methods' own records.
 */
export * from './sessions/session';
export * from './sessions/session-store.port';
export * from './sessions/sqlite-session-store';
export * from './sessions/open-session-store';
export * from './oidc/load-openid-client';
export * from './oidc/login-state';
export * from './oidc/staff-role';
export * from './crypto/secret-box';
export * from './email-code/contact-index.port';
export { SqliteContactIndex } from './email-code/contact-index';
export * from './email-code/sign-in-code-store.port';
export { SqliteSignInCodes } from './email-code/sign-in-codes';
export * from './poll-card/poll-card-code';
export * from './poll-card/poll-card-store.port';
export * from './poll-card/sqlite-poll-cards';
export * from './open-sign-in-stores';
export { inTransaction } from './postgres/postgres-tables';
