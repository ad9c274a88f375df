import { StoreUnavailableError, type Position, type RecordedEvent, type Start, type Subscription } from '@civic/event-store';
import { comparePositions } from '../mapping/position';

/** A live server subscription: what `subscribeToAll` gives, reduced to what we use. */
export interface ServerSubscription extends AsyncIterable<RecordedEvent | undefined> {
  unsubscribe(): Promise<void>;
}

export interface ResumingOptions {
  readonly after: Position | Start;
  /** Opens a server subscription delivering events strictly after `after` (already mapped, server-filtered). */
  readonly open: (after: Position | Start) => ServerSubscription;
  /** Events the server filter let through that the port's filter does not want. */
  readonly accept: (event: RecordedEvent) => boolean;
  /** Whether a failure is worth resubscribing after (the server went away, a leader changed). */
  readonly isTransient: (err: unknown) => boolean;
  /** @defaultValue 1000 */
  readonly retryDelayMs?: number;
  /** Gives up after this many failures in a row. @defaultValue 30 */
  readonly maxRetries?: number;
}

/**
 * A catch-up subscription over EventStoreDB's `subscribeToAll` that survives dropped
 * connections: it resubscribes from the position of the last event it actually handed to the
 * consumer. Never from a checkpoint notice: a server issue lets checkpoints run past events not
 * yet delivered, and resuming from one would skip them. Events at or before the last handed
 * position are dropped, so a resubscription never repeats one.
 */
export class ResumingSubscription implements Subscription {
  private stopped = false;
  private current: ServerSubscription | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly options: ResumingOptions) {}

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    let after = this.options.after;
    let failures = 0;
    while (!this.stopped) {
      const sub = (this.current = this.options.open(after));
      try {
        for await (const event of sub) {
          if (this.stopped) return;
          failures = 0;
          if (!event || comparePositions(event.position, after) <= 0 || !this.options.accept(event)) continue;
          yield event;
          after = event.position;
        }
        if (this.stopped) return;
        throw new StoreUnavailableError('The EventStoreDB subscription ended');
      } catch (err) {
        if (this.stopped) return;
        if (!this.options.isTransient(err) || ++failures > (this.options.maxRetries ?? 30)) throw err;
        await this.pause(this.options.retryDelayMs ?? 1000);
      } finally {
        await sub.unsubscribe().catch(() => undefined);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.current?.unsubscribe().catch(() => undefined);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
