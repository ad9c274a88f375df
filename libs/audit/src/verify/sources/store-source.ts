import type { EventStore, Position, Start } from '@civic/event-store';
import { CHECKPOINT_STREAM } from '../../checkpoint/checkpoint';
import { inspectPage, type InspectedPage } from '../inspected-page';
import type { AuditSource } from './audit-source';

/** Reads any event store through the port: `readAll` pages in the global order. */
export class StoreAuditSource implements AuditSource {
  constructor(
    private readonly store: EventStore,
    readonly description: string,
    private readonly pageSize = 2000,
  ) {}

  async checkpointCounts(): Promise<number[]> {
    const counts: number[] = [];
    for (let from = 0; ;) {
      const page = await this.store.readStream(CHECKPOINT_STREAM, { fromRevision: from, maxCount: this.pageSize });
      for (const e of page) {
        const count = (e.data as { eventCount?: unknown } | null)?.eventCount;
        if (typeof count === 'number') counts.push(count);
      }
      if (page.length < this.pageSize) return counts;
      from = page[page.length - 1].revision + 1;
    }
  }

  async total(): Promise<number | undefined> {
    return undefined;
  }

  async *pages(): AsyncIterable<InspectedPage> {
    let after: Position | Start = 'start';
    for (;;) {
      const page = await this.store.readAll({ after, maxCount: this.pageSize });
      if (page.length > 0) yield inspectPage(page);
      if (page.length < this.pageSize) return;
      after = page[page.length - 1].position;
    }
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}
