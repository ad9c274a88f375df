/** Injection tokens of the ports the handlers depend on. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const CLOCK = Symbol('CLOCK');
export const KEYS = Symbol('KEYS');
export const PSEUDONYMISER = Symbol('PSEUDONYMISER');
export const HANDLER_OPTIONS = Symbol('HANDLER_OPTIONS');
export const VOTING_GATE = Symbol('VOTING_GATE');
export const PERSONAL_DATA_VAULT = Symbol('PERSONAL_DATA_VAULT');
export const CONTACT_INDEX = Symbol('CONTACT_INDEX');
