import { Inject } from '@nestjs/common';
import { Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import {
  CHECKPOINT_STREAM,
  parseCheckpoint,
  publishCheckpoint,
  verifyConsistency,
  verifyText,
  consistencyProof,
  type SigningKey,
} from '@civic/audit';
import type { EventStore } from '@civic/event-store';
import { Public } from '../auth/roles.decorator';
import { DateTimeScalar } from '../graphql/date-time.scalar';
import { SignedCheckpoint } from '../receipts/receipt.types';
import { AUDIT_KEY, AUDIT_TRAIL, EVENT_STORE } from '../tokens';
import type { AuditTrail } from './audit-trail';

@ObjectType({
  description:
    'The history’s verification status as this node sees it: the last signed checkpoint and the checks `audit verify` makes of it that cost a few hashes (signature, key, root, consistency with the previous one).',
})
export class AuditStatus {
  @Field(() => SignedCheckpoint, { nullable: true, description: 'The latest signed checkpoint; null before the first.' })
  checkpoint?: SignedCheckpoint;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the latest checkpoint was recorded.' }) checkpointRecordedAt?: Date;
  @Field(() => Int, { description: 'Signed checkpoints so far.' }) checkpointCount!: number;
  @Field(() => Int, { description: 'Events in the history (hashed into this node’s Merkle index).' }) historyEvents!: number;
  @Field({ nullable: true, description: 'The checkpoint’s signature verifies with the audit public key.' }) signatureValid?: boolean;
  @Field({ nullable: true, description: 'The checkpoint names the audit public key (keyId).' }) keyMatches?: boolean;
  @Field({ nullable: true, description: 'The Merkle root of its first eventCount events, recomputed from the index, is the signed one.' })
  rootMatches?: boolean;
  @Field({
    nullable: true,
    description: 'The tree it signs extends the previous checkpoint’s (RFC 6962 consistency proof verified); null for the first.',
  })
  consistentWithPrevious?: boolean;
}

/** What the auditors' page shows first: is the history as signed? Bounded: two checkpoints read, O(log n) hashes. */
@Resolver()
export class AuditStatusResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUDIT_TRAIL) private readonly trail: AuditTrail,
    @Inject(AUDIT_KEY) private readonly key: SigningKey,
  ) {}

  @Public()
  @Query(() => AuditStatus, { description: 'The last signed checkpoint and whether it checks out. No sign-in needed.' })
  async auditStatus(): Promise<AuditStatus> {
    const index = this.trail.index;
    const last = await this.store.readStream(CHECKPOINT_STREAM, { direction: 'backwards', maxCount: 2 });
    const [latest, previous] = last.map((e) => {
      const data = parseCheckpoint(e.data);
      return typeof data === 'string' ? undefined : publishCheckpoint(data, e);
    });
    const historyEvents = index.size;
    if (!latest) return { checkpointCount: last.length ? last[0].revision + 1 : 0, historyEvents };
    const root = (size: number) => (size === 0 || size > index.size ? undefined : index.hashRange(0, size).toString('hex'));
    let consistentWithPrevious: boolean | undefined;
    if (previous && previous.eventCount <= latest.eventCount && latest.eventCount <= index.size) {
      const proof =
        previous.eventCount === 0 ? [] : consistencyProof(previous.eventCount, latest.eventCount, (a, b) => index.hashRange(a, b));
      consistentWithPrevious =
        previous.eventCount === 0 ||
        verifyConsistency(
          previous.eventCount,
          latest.eventCount,
          Buffer.from(previous.merkleRoot, 'hex'),
          Buffer.from(latest.merkleRoot, 'hex'),
          proof,
        );
    } else if (previous) consistentWithPrevious = false;
    const recomputed = root(latest.eventCount);
    return {
      checkpoint: latest,
      checkpointRecordedAt: new Date(last[0].recordedAt),
      checkpointCount: last[0].revision + 1,
      historyEvents,
      signatureValid: verifyText(this.key.publicKey, latest.signedText, latest.signature),
      keyMatches: latest.keyId === this.key.keyId,
      rootMatches: recomputed === undefined ? undefined : recomputed === latest.merkleRoot,
      consistentWithPrevious,
    };
  }
}
