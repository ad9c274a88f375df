import type { EventFilter, Position, RecordedEvent, Start, SubscribeAllOptions, Subscription } from '../port/types';

export interface CatchUpSource {
  /** One page of the global order strictly after `after`, as `EventStore.readAll` returns it. */
  readPage(after: Position | Start, maxCount: number, filter: EventFilter | undefined): Promise<RecordedEvent[]>;
  /**
   * A token taken before each read, and a wait that returns once something may have been
   * appended since that token was taken (or after a polling interval).
   */
  changeToken(): number;
  waitForChange(token: number, signal: AbortSignal): Promise<void>;
}

/**
 * A catch-up subscription over any store that can read pages of its global order: it reads
 * page after page from the checkpoint, and when it reaches the end waits to be woken. Because
 * each read starts strictly after the last delivered position, an event is never delivered
 * twice or out of order; because the store only exposes committed events in position order,
 * none is skipped. Pull-based: nothing is read ahead of the consumer beyond one page.
 */
export class CatchUpSubscription implements Subscription {
  private readonly abort = new AbortController();

  constructor(
    private readonly source: CatchUpSource,
    private readonly options: SubscribeAllOptions = {},
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    let after: Position | Start = this.options.after ?? 'start';
    const batchSize = this.options.batchSize ?? 1000;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      const token = this.source.changeToken();
      const page = await this.source.readPage(after, batchSize, this.options.filter);
      for (const event of page) {
        if (signal.aborted) return;
        yield event;
        after = event.position;
      }
      if (page.length < batchSize && !signal.aborted) await this.source.waitForChange(token, signal);
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
  }
}
