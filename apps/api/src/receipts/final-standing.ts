import type { RecordedEvent } from '@civic/event-store';
import type { FinalStanding } from './receipt-standing';

/** The ballot events a receipt can name. */
export const BALLOT_EVENT_TYPES = ['BallotCast', 'BallotReplaced', 'BallotWithdrawn', 'BallotVoided'] as const;
const MARKS = ['BallotCast', 'BallotReplaced'];

/**
 * What became of the ballot event at `revision` of its stream, the stream read whole: the
 * latest marks count unless the ballot was withdrawn or voided afterwards (DESIGN: the latest
 * ballot counts; a void names its reason).
 */
export function finalStanding(stream: readonly RecordedEvent[], revision: number): FinalStanding {
  const last = stream[stream.length - 1];
  if (last.type === 'BallotVoided') return { status: 'voided', reason: String((last.data as { reason?: unknown }).reason ?? '') };
  if (last.type === 'BallotWithdrawn') return { status: 'withdrawn' };
  const counted = [...stream].reverse().find((e) => MARKS.includes(e.type));
  return counted?.revision === revision ? { status: 'counted' } : { status: 'superseded' };
}
