import type { Phase } from '@civic/domain';
import { accessInAnyPhase, sees, type Viewer } from './embargo-table';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** An event of the history, as any store or tool holds it. */
export interface HistoryEvent {
  readonly streamName: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: JsonObject;
  readonly recordedAt: string;
}

/** An event as a viewer may see it; `redacted` says what was withheld or coarsened, in words. */
export interface RedactedEvent {
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  readonly recordedAt: string;
  readonly redacted: string[];
}

/** What redaction found and did, for an export's summary and for tests. */
export interface PrivacyTally {
  /** Resident events whose personal data was sealed, as it must be. */
  sealed: number;
  /** Fields of resident events outside the known, non-personal ones (e.g. a clear date of birth), dropped. */
  clearFieldsDropped: number;
  /** Actor or author ids of residents that were not pseudonyms (64 hex digits), withheld. */
  notPseudonymousWithheld: number;
  /** Ballot marks withheld by the embargo. */
  marksWithheld: number;
  /** Allocation events (lines, amounts, reasons) withheld by the embargo. */
  allocationsWithheld: number;
}

export const emptyTally = (): PrivacyTally => ({
  sealed: 0,
  clearFieldsDropped: 0,
  notPseudonymousWithheld: 0,
  marksWithheld: 0,
  allocationsWithheld: 0,
});

/** The fields each resident event may carry: everything else would be personal data in clear. */
const RESIDENT_FIELDS: Record<string, readonly string[]> = {
  ResidentRegistered: ['residentId', 'ward', 'source', 'personal'],
  ResidentVerified: ['residentId'],
  ResidentWardAssigned: ['residentId', 'ward'],
  ResidentErased: ['residentId', 'reason'],
};

/** Allocation events that carry the allocation itself (lines, amounts, reasons, digest). */
const ALLOCATION_CONTENT = new Set(['AllocationRecorded', 'AllocationLineOverridden']);

const PSEUDONYM = /^[0-9a-f]{64}$/;
export const WITHHELD_MARKS = 'withheld until results are published';
export const WITHHELD_ALLOCATION = 'withheld until results are published';
export const WITHHELD_ID = 'withheld: not a pseudonym';
/** What replaces a resident's sealed personal data. */
export const WITHHELD_SEALED = 'withheld: sealed personal data';

/** An ISO time floored to the hour: when a ballot was cast is a clue to who cast it. */
export const toHour = (time: string): string => {
  const t = new Date(time);
  if (Number.isNaN(t.getTime())) return time;
  t.setUTCMinutes(0, 0, 0);
  return t.toISOString();
};

/**
 * One event as `viewer` may see it, by the embargo table: the same function serves the API's
 * `auditLog` and the CLI's exports. `phases(fundId)` gives the phase(s) whose embargo applies
 * to that fund's data (now; for a cut history, as of the cut and now); an unknown fund is taken
 * as in draft. Always: resident events keep only their known fields (personal data only
 * sealed, and even the ciphertext withheld), and a resident id that is not a pseudonym is
 * withheld (`voterLinked`). By phase: ballot marks (`ballotMarks`), exact ballot times
 * (`ballotTimes`), and allocations before publication (`draftAllocation`).
 */
export function redactEvent(
  event: HistoryEvent,
  viewer: Viewer,
  phases: (fundId: string) => readonly Phase[],
  tally: PrivacyTally = emptyTally(),
): RedactedEvent {
  const redacted: string[] = [];
  let data = (event.data ?? {}) as JsonObject;
  let metadata = event.metadata;
  let recordedAt = event.recordedAt;
  const category = event.streamName.slice(0, event.streamName.indexOf('-'));
  const fundPhases = () => phases(String(data.fundId));
  // Nobody is shown a person next to a ballot, the auditor included: voterLinked is never visible.
  if (accessInAnyPhase(viewer, 'voterLinked') !== 'visible') {
    if (category === 'resident') {
      const allowed = RESIDENT_FIELDS[event.type] ?? ['residentId'];
      const dropped = Object.keys(data).filter((k) => !allowed.includes(k));
      if (dropped.length > 0) {
        data = Object.fromEntries(Object.entries(data).filter(([k]) => allowed.includes(k)));
        tally.clearFieldsDropped += dropped.length;
        redacted.push(`fields not known to be free of personal data: ${dropped.join(', ')}`);
      }
      const personal = data.personal as JsonObject | undefined;
      if (personal !== undefined) {
        const sealed = typeof personal === 'object' && personal !== null && Object.keys(personal).sort().join() === 'ciphertext,keyId';
        if (sealed) {
          // Even sealed, it is personal data while the resident's key exists: only the key id is shown.
          data = { ...data, personal: { keyId: personal.keyId, ciphertext: WITHHELD_SEALED } };
          tally.sealed++;
          redacted.push('sealed personal data (ciphertext)');
        } else {
          data = { ...data, personal: 'withheld: not sealed' };
          tally.clearFieldsDropped++;
          redacted.push('personal data that was not sealed');
        }
      }
    }
    if (typeof data.authorId === 'string' && !PSEUDONYM.test(data.authorId)) {
      data = { ...data, authorId: WITHHELD_ID };
      tally.notPseudonymousWithheld++;
      redacted.push('authorId');
    }
    if (metadata.actorRole === 'resident' && typeof metadata.actorId === 'string' && !PSEUDONYM.test(metadata.actorId)) {
      metadata = { ...metadata, actorId: WITHHELD_ID };
      tally.notPseudonymousWithheld++;
      redacted.push('metadata.actorId');
    }
  }
  if (category === 'ballot') {
    if ('content' in data && !sees(viewer, 'ballotMarks', fundPhases())) {
      data = { ...data, content: WITHHELD_MARKS };
      tally.marksWithheld++;
      redacted.push('content');
    }
    if (!sees(viewer, 'ballotTimes', fundPhases())) {
      recordedAt = toHour(recordedAt);
      if (typeof metadata.time === 'string') metadata = { ...metadata, time: toHour(metadata.time) };
      redacted.push('times to the hour');
    }
  }
  if (category === 'allocation' && ALLOCATION_CONTENT.has(event.type) && !sees(viewer, 'draftAllocation', fundPhases())) {
    data = { fundId: data.fundId ?? null, potId: data.potId ?? null, allocation: WITHHELD_ALLOCATION };
    tally.allocationsWithheld++;
    redacted.push('allocation');
  }
  return { data, metadata, recordedAt, redacted };
}
