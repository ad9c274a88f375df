/** The only source of time for commands: injected, so tests and replays control it. */
export interface Clock {
  /** Now, as an ISO 8601 instant in UTC with a `Z` suffix. */
  now(): string;
}

export const systemClock: Clock = { now: () => new Date().toISOString() };

/** A clock that tests set by hand. */
export class FixedClock implements Clock {
  constructor(private instant: string) {}
  now(): string {
    return this.instant;
  }
  set(instant: string): void {
    this.instant = instant;
  }
}
