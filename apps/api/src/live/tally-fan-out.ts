import type { Phase } from '@civic/domain';
import type { RequestContext } from '../auth/access.guard';
import { requireSight } from '../auth/embargo';
import type { Tally } from '../ballots/ballot.types';
import type { TallyCounts } from '../ballots/tally.reader';
import { ApiError } from '../errors/api-error';
import type { TallyMessage } from './live-updates';

/** Pots whose last payload is kept; past this the oldest is dropped (a few dozen pots follow a vote). */
const MAX_POTS = 256;

/**
 * A pot's tally read once per folded batch and shared by every subscriber of the pot who may
 * see it. The embargo is asked for each subscriber and each message, before the payload is
 * read or handed over: tallies are either visible or hidden (never aggregate only), so whoever
 * passes sees the same aggregates, and whoever does not is refused without the tally being read.
 * Subscribers who ask for the counts only are answered without reading the lines; a tally read
 * with its lines serves them too.
 */
export class TallyFanOut {
  private readonly last = new Map<string, { position: string; tally: Tally | TallyCounts; lines: boolean }>();

  constructor(
    private readonly read: { tally(potId: string): Tally; counts(potId: string): TallyCounts },
    private readonly phaseOf: { potPhase(potId: string): Phase | undefined },
  ) {}

  /** Refuses a subscriber who may not see the pot's tally now. */
  require(potId: string, ctx: RequestContext): void {
    const phase = this.phaseOf.potPhase(potId);
    if (!phase) throw new ApiError('NOT_FOUND', 'There is no such pot.');
    requireSight(ctx, 'tally', phase, 'Tallies are shown to the public once results are published.');
  }

  /** The payload of one message for one subscriber: read by the first who may see it, then shared. */
  payload(message: TallyMessage, ctx: RequestContext, options: { lines: false }): TallyCounts;
  payload(message: TallyMessage, ctx: RequestContext, options?: { lines: boolean }): Tally;
  payload(message: TallyMessage, ctx: RequestContext, { lines } = { lines: true }): Tally | TallyCounts {
    this.require(message.potId, ctx);
    const kept = this.last.get(message.potId);
    if (kept && kept.position === message.position && (kept.lines || !lines)) return kept.tally;
    const tally = lines ? this.read.tally(message.potId) : this.read.counts(message.potId);
    this.last.delete(message.potId);
    if (this.last.size >= MAX_POTS) this.last.delete(this.last.keys().next().value!);
    this.last.set(message.potId, { position: message.position, tally, lines });
    return tally;
  }
}
