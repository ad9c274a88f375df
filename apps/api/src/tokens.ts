/** Injection tokens of the API's external effects. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const AUDIT_KEY = Symbol('AUDIT_KEY');
export const JWT_SECRET = Symbol('JWT_SECRET');
export const SESSION_STORE = Symbol('SESSION_STORE');
/** The sign-in clock (epoch ms): sessions' and codes' expiries; tests move it. */
export const AUTH_CLOCK = Symbol('AUTH_CLOCK');
