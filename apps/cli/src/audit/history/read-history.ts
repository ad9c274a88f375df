import type { RecordedEvent } from '@civic/event-store';
import type { Cut } from '../shared/as-of';
import type { EventLog } from '../shared/event-log';

export interface PassOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (events: number) => void;
  readonly categories?: readonly string[];
  /** Awaited after each page, e.g. to let an output stream drain before reading more. */
  readonly afterPage?: () => Promise<void>;
  /** Visit the history only as it stood then: the pass stops at the cut. */
  readonly asOf?: Cut;
}

/** How a pass over the log ended. */
export interface PassEnd {
  /** Events read, the one a stopping `visit` was given included. */
  readonly events: number;
  /** `visit` returned false: the pass stopped where it was asked to. */
  readonly stopped: boolean;
  /** Aborted (SIGINT) between two pages: everything before was visited, nothing after. */
  readonly interrupted: boolean;
}

/** Visits the log in global order until `visit` returns false, the log or the cut (`asOf`) ends, or the signal aborts. */
export async function passOver(
  log: EventLog,
  visit: (event: RecordedEvent) => boolean | void,
  options: PassOptions = {},
): Promise<PassEnd> {
  let events = 0;
  const cut = options.asOf;
  for await (const page of log.pages({ categories: cut ? cut.categories(options.categories) : options.categories })) {
    for (const event of page) {
      if (cut && !cut.includes(event)) return { events, stopped: true, interrupted: false };
      events++;
      if (visit(event) === false || cut?.endsAt(event)) return { events, stopped: true, interrupted: false };
    }
    await options.afterPage?.();
    options.onProgress?.(events);
    // Checked between pages, so what was visited is always a prefix of the log.
    if (options.signal?.aborted) return { events, stopped: false, interrupted: true };
  }
  return { events, stopped: false, interrupted: false };
}
