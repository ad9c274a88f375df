import type { AllocationLineOverridden, AllocationRecorded } from '@civic/domain';
import { HistoryFold } from '../history/history-fold';
import { passOver, type PassOptions } from '../history/read-history';
import type { EventLog } from '../shared/event-log';
import { recomputeAllocation, type AllocationCheck } from './recompute-allocation';

/** What `audit recompute` prints. */
export interface RecomputeReport {
  readonly ok: boolean;
  readonly interrupted: boolean;
  readonly eventsRead: number;
  /** The last position read: everything up to it was checked. */
  readonly position: string;
  readonly allocations: AllocationCheck[];
  /** The proposals whose recorded line differs from the recomputed one, as `potId/proposalId`, for a quick look. */
  readonly mismatches: string[];
}

/**
 * One pass over the log: every `AllocationRecorded` is recomputed from the fold as it stood
 * just before it (so ballots count as they stood when it was recorded), and each later
 * override of its lines is attached to it.
 */
export async function recomputeHistory(log: EventLog, options: PassOptions = {}): Promise<RecomputeReport> {
  const fold = new HistoryFold();
  const allocations: AllocationCheck[] = [];
  const latest = new Map<string, AllocationCheck>();
  const end = await passOver(
    log,
    (event) => {
      if (event.type === 'AllocationRecorded' && event.streamName.startsWith('allocation-')) {
        const check = recomputeAllocation(fold, event.data as unknown as AllocationRecorded['data'], {
          position: event.position,
          eventId: event.id,
        });
        allocations.push(check);
        latest.set(check.potId, check);
      } else if (event.type === 'AllocationLineOverridden') {
        const { potId, proposalId, funded, amount, reason } = event.data as unknown as AllocationLineOverridden['data'];
        latest.get(potId)?.overrides.push({ position: event.position, proposalId, funded, amount, reason });
      }
      fold.apply(event);
    },
    options,
  );
  const mismatches = allocations.flatMap((a) => a.lines.filter((l) => !l.match).map((l) => `${a.potId}/${l.proposalId}`));
  return {
    ok: !end.interrupted && allocations.every((a) => a.ok),
    interrupted: end.interrupted,
    eventsRead: end.events,
    position: fold.position,
    allocations,
    mismatches,
  };
}
