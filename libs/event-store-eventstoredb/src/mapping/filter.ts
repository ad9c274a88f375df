import { eventTypeFilter, excludeSystemEvents, streamNameFilter, type Filter } from '@eventstore/db-client';
import type { EventFilter } from '@civic/event-store';

/** How a port filter is applied: on the server, and what is left to check here. */
export interface FilterPlan {
  /** The server-side filter; always excludes system events (types and streams starting with `$`). */
  readonly server: Filter;
  /** What the server cannot also check (it filters on types or on streams, not both). */
  readonly residual?: EventFilter;
  /** True when the filter can match nothing (an empty list). */
  readonly matchesNothing: boolean;
}

/**
 * Our filters hold exact event types and stream categories, both starting with a letter, so
 * an anchored regex over them also keeps out every system event and system stream. In a
 * namespace (see namespace.ts) the server filters on stream names, which carry it.
 */
export function planFilter(filter: EventFilter | undefined, namespace = ''): FilterPlan {
  const types = filter?.eventTypes;
  const categories = filter?.streamCategories;
  const matchesNothing = types?.length === 0 || categories?.length === 0;
  if (namespace) {
    const streams = categories ? `(?:${categories.map(escapeRegex).join('|')})-` : '';
    return {
      server: streamNameFilter({ regex: `^${escapeRegex(namespace)}${streams}` }),
      residual: types ? { eventTypes: types } : undefined,
      matchesNothing,
    };
  }
  if (types) {
    return {
      server: eventTypeFilter({ regex: `^(?:${types.map(escapeRegex).join('|')})$` }),
      residual: categories ? { streamCategories: categories } : undefined,
      matchesNothing,
    };
  }
  if (categories) {
    return { server: streamNameFilter({ regex: `^(?:${categories.map(escapeRegex).join('|')})-` }), matchesNothing };
  }
  return { server: excludeSystemEvents(), matchesNothing };
}

function escapeRegex(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}
