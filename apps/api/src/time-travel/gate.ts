import { ApiError } from '../errors/api-error';

/**
 * At most `limit` holders at once, and at most `queue` waiting; one more is refused at once
 * (`RATE_LIMITED`) rather than left to pile up.
 */
export class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly queue: number,
  ) {}

  async enter(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    if (this.waiting.length >= this.queue)
      throw new ApiError('RATE_LIMITED', 'Too many requests into the past at once: try again in a moment.');
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hands the place to the next waiting, if any. */
  leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
