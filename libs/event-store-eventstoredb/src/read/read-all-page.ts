import type { Position, RecordedEvent, Start } from '@civic/event-store';
import { comparePositions } from '../mapping/position';

/** Reads up to `count` server-filtered events starting *at* `from` (inclusive), in order. */
export type ServerRead = (from: Position | Start, count: number) => Promise<(RecordedEvent | undefined)[]>;

/**
 * One page of the port's `readAll`: up to `maxCount` events strictly after `after` that
 * `accept` keeps. The server starts reads at a position inclusively, and filters on event
 * types or streams but not both, so this skips the event at `after` and reads on while the
 * residual filter leaves the page short and the server has more.
 */
export async function readAllPage(
  read: ServerRead,
  after: Position | Start,
  maxCount: number,
  accept: (e: RecordedEvent) => boolean,
): Promise<RecordedEvent[]> {
  const page: RecordedEvent[] = [];
  let from = after;
  while (page.length < maxCount) {
    const want = maxCount - page.length + 1;
    const batch = await read(from, want);
    const before = after;
    for (const e of batch) {
      if (!e || comparePositions(e.position, after) <= 0) continue;
      after = e.position;
      if (accept(e) && page.length < maxCount) page.push(e);
    }
    if (batch.length < want || after === before) break;
    from = after;
  }
  return page;
}
