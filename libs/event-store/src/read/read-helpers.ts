import { InvalidInputError } from '../errors/event-store.errors';
import type { EventFilter, ReadAllOptions, ReadStreamOptions, RecordedEvent } from '../port/types';
import { streamCategory } from '../validation/stream-name';

export const DEFAULT_READ_ALL_MAX_COUNT = 1000;

/** True when the event passes the filter (types and categories are each optional). */
export function matchesFilter(event: RecordedEvent, filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  if (filter.streamCategories && !filter.streamCategories.includes(streamCategory(event.streamName))) return false;
  return true;
}

/**
 * Checks `readAll` options for stores whose positions are decimal integers (SQLite, memory):
 * returns the numeric position to read after.
 */
export function assertReadAllOptions(options: ReadAllOptions): { after: number; maxCount: number } {
  const maxCount = assertMaxCount(options.maxCount ?? DEFAULT_READ_ALL_MAX_COUNT);
  const raw = options.after ?? 'start';
  if (raw === 'start') return { after: 0, maxCount };
  if (typeof raw !== 'string' || !/^[1-9][0-9]{0,15}$/.test(raw)) {
    throw new InvalidInputError('after', `"${String(raw)}" is not a position issued by this store`);
  }
  return { after: Number(raw), maxCount };
}

export function assertMaxCount(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidInputError('maxCount', 'must be an integer ≥ 1');
  }
  return value;
}

/** Resolved `readStream` options: direction, the first revision to read, and the limit. */
export function resolveReadStream(options: ReadStreamOptions): {
  backwards: boolean;
  from: number | 'end';
  maxCount: number;
} {
  const backwards = (options.direction ?? 'forwards') === 'backwards';
  if (options.direction !== undefined && options.direction !== 'forwards' && options.direction !== 'backwards') {
    throw new InvalidInputError('direction', 'must be "forwards" or "backwards"');
  }
  const maxCount = options.maxCount === undefined ? Number.MAX_SAFE_INTEGER : assertMaxCount(options.maxCount);
  const raw = options.fromRevision ?? (backwards ? 'end' : 'start');
  if (raw === 'start') return { backwards, from: 0, maxCount };
  if (raw === 'end') return { backwards, from: 'end', maxCount };
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 0) {
    throw new InvalidInputError('fromRevision', 'must be "start", "end" or a revision (an integer ≥ 0)');
  }
  return { backwards, from: raw, maxCount };
}

/** Applies `readStream` options to a whole stream held in memory. */
export function readStreamSlice(stream: readonly RecordedEvent[], options: ReadStreamOptions): RecordedEvent[] {
  const { backwards, from, maxCount } = resolveReadStream(options);
  if (backwards) {
    const start = from === 'end' ? stream.length - 1 : Math.min(from, stream.length - 1);
    const out: RecordedEvent[] = [];
    for (let i = start; i >= 0 && out.length < maxCount; i--) out.push(stream[i]);
    return out;
  }
  if (from === 'end') return [];
  return stream.slice(from, from + maxCount);
}
