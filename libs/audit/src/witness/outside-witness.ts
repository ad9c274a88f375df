import type { KeyObject } from 'node:crypto';
import { verifyConsistency } from '../merkle/merkle-proof';
import { checkPublishedCheckpoint, type PublishedCheckpoint } from '../receipt/published-checkpoint';
import type { WitnessRecord } from './witness.port';

export const WITNESS_FAILURES = [
  /** The log no longer has a checkpoint the witness saw: it was cut back. */
  'WITNESS.LOG_REWOUND',
  /** The log shows another checkpoint where the witness saw one, or a tree that does not extend the last one seen: it was rewritten. */
  'WITNESS.LOG_FORKED',
  /** A new checkpoint's signature does not verify, or it is signed by another key than the one followed. */
  'WITNESS.SIGNATURE_INVALID',
  /** The feed is not a sequence of checkpoints. */
  'WITNESS.FEED_INVALID',
] as const;
export type WitnessFailureCode = (typeof WITNESS_FAILURES)[number];

/** What an outside witness reads from the platform's public feed. */
export interface CheckpointFeed {
  /** The signed checkpoints from `fromSequence` on, in order (all of them, paging is the feed's business). */
  checkpoints(fromSequence: number): Promise<PublishedCheckpoint[]>;
  /** The RFC 6962 consistency proof between two tree sizes, hex. */
  consistency(fromSize: number, toSize: number): Promise<string[]>;
}

export type WitnessPoll =
  | { readonly ok: true; readonly added: WitnessRecord[]; readonly last: WitnessRecord | undefined }
  | {
      readonly ok: false;
      readonly code: WitnessFailureCode;
      readonly message: string;
      readonly sequence: number;
      readonly added: WitnessRecord[];
    };

const toRecord = (c: PublishedCheckpoint): WitnessRecord => ({
  sequence: c.sequence,
  eventId: c.eventId,
  position: c.position,
  upToPosition: c.upToPosition,
  eventCount: c.eventCount,
  merkleRoot: c.merkleRoot,
  signature: c.signature,
  keyId: c.keyId,
});

const same = (a: WitnessRecord, b: WitnessRecord) =>
  a.sequence === b.sequence &&
  a.eventCount === b.eventCount &&
  a.merkleRoot === b.merkleRoot &&
  a.signature === b.signature &&
  a.position === b.position;

/**
 * One poll of an outside witness: the last checkpoint it saw must still be in the log as it
 * saw it; each new checkpoint must be signed by `publicKey`, follow in sequence, and hold a tree
 * that extends the previous one (an RFC 6962 consistency proof from the feed, checked against
 * the two signed roots). Returns the records to keep, up to the first failure.
 */
export async function pollFeed(seen: readonly WitnessRecord[], feed: CheckpointFeed, publicKey: KeyObject): Promise<WitnessPoll> {
  const added: WitnessRecord[] = [];
  let last = seen[seen.length - 1];
  const from = last ? last.sequence : 0;
  const published = await feed.checkpoints(from);
  const failed = (code: WitnessFailureCode, message: string, sequence: number): WitnessPoll => ({
    ok: false,
    code,
    message,
    sequence,
    added,
  });
  let rest = published;
  if (last) {
    const again = published[0];
    if (!again || again.sequence !== last.sequence)
      return failed('WITNESS.LOG_REWOUND', `The log no longer has checkpoint ${last.sequence}, which this witness saw.`, last.sequence);
    if (!same(toRecord(again), last))
      return failed(
        'WITNESS.LOG_FORKED',
        `Checkpoint ${last.sequence} differs from the one this witness saw: the log was rewritten.`,
        last.sequence,
      );
    rest = published.slice(1);
  }
  for (const checkpoint of rest) {
    const checked = checkPublishedCheckpoint(checkpoint, publicKey);
    if (!checked.ok) return failed('WITNESS.SIGNATURE_INVALID', checked.message, checkpoint.sequence);
    const next = toRecord(checkpoint);
    const expected = last ? last.sequence + 1 : 0;
    if (next.sequence !== expected) return failed('WITNESS.FEED_INVALID', `Checkpoint ${expected} is missing from the feed.`, expected);
    if (last) {
      if (next.eventCount < last.eventCount)
        return failed(
          'WITNESS.LOG_FORKED',
          `Checkpoint ${next.sequence} covers fewer events than checkpoint ${last.sequence}.`,
          next.sequence,
        );
      const proof = (await feed.consistency(last.eventCount, next.eventCount)).map((h) => Buffer.from(h, 'hex'));
      const [oldRoot, newRoot] = [Buffer.from(last.merkleRoot, 'hex'), Buffer.from(next.merkleRoot, 'hex')];
      if (!verifyConsistency(last.eventCount, next.eventCount, oldRoot, newRoot, proof))
        return failed(
          'WITNESS.LOG_FORKED',
          `Checkpoint ${next.sequence}'s tree does not extend checkpoint ${last.sequence}'s: the log was rewritten.`,
          next.sequence,
        );
    }
    added.push(next);
    last = next;
  }
  return { ok: true, added, last };
}
