import type { KeyObject } from 'node:crypto';
import type { JsonValue } from '@civic/event-store';
import { CHECKPOINT_STREAM, checkpointSignatureValid, parseCheckpoint } from '../checkpoint/checkpoint';
import { MerkleFrontier } from '../merkle/merkle';
import { keyIdOf } from '../signing/signing-key';
import type { WitnessRecord } from '../witness/witness.port';
import { at, type AuditFailure, type AuditReport, type CheckpointSummary } from './audit-failure';
import { HAS_LINK, HAS_PREVIOUS, HASH_OK, positionOf, rowOf, type InspectedPage } from './inspected-page';
import { StreamHeads } from './stream-heads';

export interface VerifierOptions {
  /** The published key; without it checkpoints cannot be trusted, which is itself a failure. */
  readonly publicKey?: KeyObject;
  /** The `eventCount` of every checkpoint in the log (a first, cheap pass): where to snapshot the Merkle root. */
  readonly checkpointCounts: Iterable<number>;
  /** @defaultValue 1000 */
  readonly maxFailures?: number;
  /** Room to make for streams up front (at most one per event), so the table need not grow in the pass. */
  readonly expectedStreams?: number;
}

interface Snapshot {
  readonly position: string;
  readonly root: string;
}

/**
 * The checks that depend on order, fed one event at a time in the global order: each
 * stream's chain, the Merkle tree of the whole history, and each checkpoint against both.
 */
export class Verifier {
  private readonly heads: StreamHeads;
  private readonly frontier = new MerkleFrontier();
  private readonly wanted: Set<number>;
  private readonly snapshots = new Map<number, Snapshot>();
  private readonly failures: AuditFailure[] = [];
  private failureCount = 0;
  private checkpoints = 0;
  private lastCheckpoint: CheckpointSummary | null = null;
  private previousCheckpointHash: string | null = null;
  /** The `upToPosition` of the last checkpoint whose root matched: where an altered range begins. */
  private lastVerifiedUpTo: string | undefined;
  private readonly seen = new Map<number, CheckpointSummary & { signature: string }>();
  private readonly keyId: string | undefined;

  constructor(private readonly options: VerifierOptions) {
    this.heads = new StreamHeads(options.expectedStreams);
    this.wanted = new Set(options.checkpointCounts);
    this.keyId = options.publicKey ? keyIdOf(options.publicKey) : undefined;
  }

  get eventsChecked(): number {
    return this.frontier.count;
  }

  /** Takes the next page of the global order. */
  acceptPage(page: InspectedPage): void {
    const { hashes, flags, streamKeys } = page;
    for (let i = 0; i < page.count; i++) {
      const revision = page.revisions[i];
      const slot = this.heads.slotOfKeys(streamKeys, i * 2);
      const expectedRevision = this.heads.revision(slot) + 1;
      const f = flags[i];
      const at = i * 96;
      if (!(f & HAS_LINK)) {
        this.fail(
          'AUDIT.CHAIN_MISSING',
          page,
          i,
          'carries no valid metadata.chain: it was not written through the chain, or its link was altered',
        );
      } else if (!(f & HASH_OK)) {
        this.fail('AUDIT.HASH_MISMATCH', page, i, 'has content that does not give its recorded hash: the stored event was altered');
      }
      if (revision !== expectedRevision) {
        const what =
          revision > expectedRevision
            ? `revision ${expectedRevision} of its stream is missing`
            : `revision ${revision} of its stream comes again or out of order`;
        this.fail('AUDIT.CHAIN_BROKEN', page, i, `is where revision ${expectedRevision} was expected: ${what}`);
      } else if (f & HAS_LINK && !this.heads.hashEquals(slot, f & HAS_PREVIOUS ? hashes : null, at + 64)) {
        this.fail(
          'AUDIT.CHAIN_BROKEN',
          page,
          i,
          'does not link to the previous event of its stream: an event was replaced, removed or moved',
        );
      }
      // Following the stored hash keeps one altered event from failing every later one.
      this.heads.setByKeys(streamKeys, i * 2, slot, revision, hashes, f & HAS_LINK ? at + 32 : at);
      this.frontier.pushLatin1(page.leaves.toString('latin1', i * 32, i * 32 + 32));
      if (this.wanted.has(this.frontier.count)) {
        this.snapshots.set(this.frontier.count, { position: positionOf(page, i), root: this.frontier.root().toString('hex') });
      }
      const data = page.checkpointData[i];
      if (data !== undefined)
        this.checkCheckpoint(page, i, data, hashes.toString('hex', f & HAS_LINK ? at + 32 : at, (f & HAS_LINK ? at + 32 : at) + 32));
    }
  }

  /** Each witnessed checkpoint must be in the log as witnessed: this is what shows a cut tail. */
  checkWitness(records: readonly WitnessRecord[], source: string): void {
    for (const w of records) {
      const found = this.seen.get(w.sequence);
      const where = { position: w.position, streamName: CHECKPOINT_STREAM, revision: w.sequence, eventId: w.eventId };
      if (!found) {
        this.failAt(
          'AUDIT.CHECKPOINT_MISSING',
          where,
          `checkpoint ${w.sequence} (over ${w.eventCount} events up to ${w.upToPosition}) is in the witness (${source}) but not in the log: the history was cut or rewritten`,
        );
      } else if (
        found.position !== w.position ||
        found.merkleRoot !== w.merkleRoot ||
        found.signature !== w.signature ||
        found.eventCount !== w.eventCount
      ) {
        this.failAt(
          'AUDIT.CHECKPOINT_MISSING',
          where,
          `checkpoint ${w.sequence} in the log differs from the one in the witness (${source}): the history was rewritten`,
        );
      }
    }
  }

  /** A finding of a store-specific probe (e.g. SQLite's positions). */
  failAt(code: AuditFailure['code'], where: Omit<AuditFailure, 'code' | 'message'>, message: string): void {
    this.failureCount++;
    if (this.failures.length < (this.options.maxFailures ?? 1000)) this.failures.push({ code, ...where, message });
  }

  report(interrupted: boolean): AuditReport {
    return {
      ok: this.failureCount === 0 && !interrupted,
      interrupted,
      eventsChecked: this.frontier.count,
      streamsChecked: this.heads.size,
      checkpointsChecked: this.checkpoints,
      lastCheckpoint: this.lastCheckpoint,
      failures: this.failures,
      failureCount: this.failureCount,
    };
  }

  private fail(code: AuditFailure['code'], page: InspectedPage, i: number, message: string): void {
    const row = rowOf(page, i);
    this.failAt(code, at(row), `event ${row.id} (${row.streamName}@${row.revision}, position ${row.position}) ${message}`);
  }

  private checkCheckpoint(page: InspectedPage, i: number, stored: JsonValue, hash: string): void {
    this.checkpoints++;
    const row = rowOf(page, i);
    const fail = (code: AuditFailure['code'], message: string) => this.fail(code, page, i, message);
    const data = parseCheckpoint(stored);
    if (typeof data === 'string') return fail('AUDIT.CHECKPOINT_MALFORMED', `is a checkpoint that ${data}`);
    const summary = {
      sequence: data.sequence,
      position: row.position,
      upToPosition: data.upToPosition,
      eventCount: data.eventCount,
      merkleRoot: data.merkleRoot,
    };
    this.seen.set(data.sequence, { ...summary, signature: data.signature });
    this.lastCheckpoint = summary;
    if (!this.options.publicKey) {
      if (this.checkpoints === 1)
        this.failAt(
          'AUDIT.PUBLIC_KEY_REQUIRED',
          at(row),
          'the history has checkpoints but no public key was given (--public-key): their signatures cannot be checked',
        );
    } else if (data.keyId !== this.keyId || !checkpointSignatureValid(data, this.options.publicKey)) {
      fail(
        'AUDIT.CHECKPOINT_SIGNATURE_INVALID',
        data.keyId !== this.keyId
          ? `is signed by key ${data.keyId}, not by the given key ${this.keyId}`
          : 'has a signature that does not verify: the checkpoint was altered',
      );
    }
    if (data.sequence !== row.revision) fail('AUDIT.CHECKPOINT_MALFORMED', `records sequence ${data.sequence} at revision ${row.revision}`);
    if (data.previousCheckpointHash !== this.previousCheckpointHash) fail('AUDIT.CHAIN_BROKEN', 'does not name the previous checkpoint');
    this.previousCheckpointHash = hash;
    const snapshot = this.snapshots.get(data.eventCount);
    if (!snapshot) {
      fail('AUDIT.CHECKPOINT_ROOT_MISMATCH', `covers ${data.eventCount} events, but only ${this.frontier.count} precede it in the log`);
    } else if (snapshot.position !== data.upToPosition) {
      fail(
        'AUDIT.CHECKPOINT_ROOT_MISMATCH',
        `covers events up to position ${data.upToPosition}, but the ${data.eventCount}th event of the log is at ${snapshot.position}: events were removed or inserted before it`,
      );
    } else if (snapshot.root !== data.merkleRoot) {
      const since = this.lastVerifiedUpTo ?? 'the start';
      fail(
        'AUDIT.CHECKPOINT_ROOT_MISMATCH',
        `its Merkle root does not match the log up to position ${data.upToPosition}: events after ${since} were altered, removed or reordered`,
      );
    }
    if (snapshot && snapshot.root === data.merkleRoot) this.lastVerifiedUpTo = data.upToPosition;
  }
}
