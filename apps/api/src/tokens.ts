/** Injection tokens of the API's external effects. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const AUDIT_KEY = Symbol('AUDIT_KEY');
/** The chained store's checkpointer and Merkle index (see audit-log/audit-trail.ts). */
export const AUDIT_TRAIL = Symbol('AUDIT_TRAIL');
export const JWT_SECRET = Symbol('JWT_SECRET');
export const SESSION_STORE = Symbol('SESSION_STORE');
/** The sign-in clock (epoch ms): sessions' and codes' expiries; tests move it. */
export const AUTH_CLOCK = Symbol('AUTH_CLOCK');
export const SIGN_IN_CODES = Symbol('SIGN_IN_CODES');
export const CONTACT_INDEX = Symbol('CONTACT_INDEX');
/** A key for one purpose, derived from the API's secrets: `(purpose) => Buffer`. */
export const PURPOSE_KEYS = Symbol('PURPOSE_KEYS');
export const POLL_CARDS = Symbol('POLL_CARDS');
/** Devices in kiosk mode and the residents' sessions started at them. */
