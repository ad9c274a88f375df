/** Injection tokens of the API's external effects. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const AUDIT_KEY = Symbol('AUDIT_KEY');
/** The chained store's checkpointer and Merkle index (see audit-log/audit-trail.ts). */
export const AUDIT_TRAIL = Symbol('AUDIT_TRAIL');
export const JWT_SECRET = Symbol('JWT_SECRET');
