import type { JsonObject, JsonValue, RecordedEvent } from '@civic/event-store';

/** One line of `export --format jsonl`. */
export interface ExportedEvent {
  readonly position: string;
  readonly streamName: string;
  readonly revision: number;
  readonly type: string;
  readonly data: JsonValue;
  readonly metadata: JsonObject;
  readonly recordedAt: string;
  /** Present when part of the event was withheld or coarsened: what, in words. */
  readonly redacted?: string[];
}

/** What the privacy checks of an export found and did, for the summary on stderr and in tests. */
export interface PrivacyTally {
  /** Resident events whose personal data was sealed, as it must be. */
  sealed: number;
  /** Fields of resident events outside the known, non-personal ones (e.g. a clear date of birth), dropped. */
  clearFieldsDropped: number;
  /** Actor or author ids of residents that were not pseudonyms (64 hex digits), withheld. */
  notPseudonymousWithheld: number;
  /** Ballot marks withheld because the fund's results were not published. */
  marksWithheld: number;
}

export const emptyTally = (): PrivacyTally => ({ sealed: 0, clearFieldsDropped: 0, notPseudonymousWithheld: 0, marksWithheld: 0 });

/** The fields each resident event may carry: everything else would be personal data in clear. */
const RESIDENT_FIELDS: Record<string, readonly string[]> = {
  ResidentRegistered: ['residentId', 'ward', 'source', 'personal'],
  ResidentVerified: ['residentId'],
  ResidentWardAssigned: ['residentId', 'ward'],
  ResidentErased: ['residentId', 'reason'],
};

const PSEUDONYM = /^[0-9a-f]{64}$/;
const WITHHELD_MARKS = 'withheld until results are published';
const WITHHELD_ID = 'withheld: not a pseudonym';

/** An ISO time floored to the hour: when a ballot was cast is a clue to who cast it. */
export const toHour = (time: string): string => {
  const t = new Date(time);
  if (Number.isNaN(t.getTime())) return time;
  t.setUTCMinutes(0, 0, 0);
  return t.toISOString();
};

export interface PublicEventOptions {
  /** Funds whose results are published (results_published, delivery, closed). */
  readonly publishedFunds: ReadonlySet<string>;
  /** Auditors read everything but personal data: ballot marks of every fund, exact times. */
  readonly auditor: boolean;
}

/**
 * An event as an export shows it. Always: resident events keep only their known fields (the
 * sealed personal data, never anything in clear), and a resident's actor or author id that is
 * not a pseudonym is withheld. Unless `auditor`: ballot marks of funds whose results are not
 * published are withheld, and ballot times are coarsened to the hour.
 */
/** What replaces a resident's sealed personal data in an export. */
export const WITHHELD_SEALED = 'withheld: sealed personal data';

export function publicEvent(event: RecordedEvent, options: PublicEventOptions, tally: PrivacyTally): ExportedEvent {
  const redacted: string[] = [];
  let data = event.data as JsonObject;
  let metadata = event.metadata;
  let recordedAt = event.recordedAt;
  const category = event.streamName.slice(0, event.streamName.indexOf('-'));
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
        // Even sealed, it is personal data while the resident's key exists: exports carry the key id only.
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
  if (category === 'ballot' && !options.auditor) {
    if ('content' in data && !options.publishedFunds.has(String(data.fundId))) {
      data = { ...data, content: WITHHELD_MARKS };
      tally.marksWithheld++;
      redacted.push('content');
    }
    recordedAt = toHour(recordedAt);
    if (typeof metadata.time === 'string') metadata = { ...metadata, time: toHour(metadata.time) };
    redacted.push('times to the hour');
  }
  const line = {
    position: event.position,
    streamName: event.streamName,
    revision: event.revision,
    type: event.type,
    data,
    metadata,
    recordedAt,
  };
  return redacted.length > 0 ? { ...line, redacted } : line;
}
