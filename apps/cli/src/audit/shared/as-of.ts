import { UsageError } from '../shared/store-options';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Where a replay stops, as the API's time travel reads `asOf`: an ISO time (every event
 * recorded up to then) or a global position (everything up to and including that event).
 * Positions are opaque, so a position is found by meeting it, never by comparing.
 */
export type AsOf =
  { readonly kind: 'time'; readonly until: string } | { readonly kind: 'position'; readonly position: string } | { readonly kind: 'end' };

export function parseAsOf(text: string | undefined): AsOf {
  if (text === undefined) return { kind: 'end' };
  const value = text.trim();
  if (ISO_TIME.test(value)) {
    if (Number.isNaN(Date.parse(value))) throw new UsageError(`--as-of ${value} is not a valid time`);
    return { kind: 'time', until: new Date(value).toISOString() };
  }
  if (value === '') throw new UsageError('--as-of needs a position or an ISO time');
  return { kind: 'position', position: value };
}
