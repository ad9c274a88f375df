/** The clock of sessions and sign-in codes, in epoch milliseconds. */
export interface AuthClock {
  now(): number;
}
export const systemAuthClock: AuthClock = { now: () => Date.now() };
