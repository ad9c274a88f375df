import type { RecordedEvent } from '@civic/event-store';
import { hasIsoTimeShape, instantOfIsoTime } from '@civic/domain';
import { UsageError } from './store-options';

/**
 * Where a pass over the log stops, as the API's time travel reads `asOf`: an ISO time (every
 * event recorded up to then) or a global position (everything up to and including that event).
 * Positions are opaque, so a position is found by meeting it, never by comparing.
 */
export type AsOf =
  { readonly kind: 'time'; readonly until: string } | { readonly kind: 'position'; readonly position: string } | { readonly kind: 'end' };

export function parseAsOf(text: string | undefined): AsOf {
  if (text === undefined) return { kind: 'end' };
  const value = text.trim();
  if (hasIsoTimeShape(value)) {
    const until = instantOfIsoTime(value);
    if (until === undefined) throw new UsageError(`--as-of ${value} is not a valid time`);
    return { kind: 'time', until };
  }
  if (value === '') throw new UsageError('--as-of needs a position or an ISO time');
  return { kind: 'position', position: value };
}

/**
 * The history as of `--as-of`, for one pass over the log (see `passOver`'s `asOf` option):
 * which events are in it, where the pass stops, and whether an asked-for position was met.
 */
export class Cut {
  private met = false;

  constructor(readonly asOf: AsOf) {}

  /** Whether the event belongs to the history as of the cut; false ends the pass before it. */
  includes(event: RecordedEvent): boolean {
    return this.asOf.kind !== 'time' || event.recordedAt <= this.asOf.until;
  }

  /** Whether the event, just included, is the last of the cut (the position asked for). */
  endsAt(event: RecordedEvent): boolean {
    return this.asOf.kind === 'position' && event.position === this.asOf.position && (this.met = true);
  }

  /** The stream categories a pass must read: every one for a position (it may be any stream's event), else `wanted`. */
  categories(wanted: readonly string[] | undefined): readonly string[] | undefined {
    return this.asOf.kind === 'position' ? undefined : wanted;
  }

  /** After a whole pass (not interrupted): a position never met is a usage error, exit 2. */
  mustHaveMet(): void {
    if (this.asOf.kind === 'position' && !this.met)
      throw new UsageError(`--as-of ${this.asOf.position} is neither a position of this history nor an ISO time`);
  }
}
