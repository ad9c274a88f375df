import { Inject } from '@nestjs/common';
import { Args, Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { CHECKPOINT_STREAM, consistencyProof, parseCheckpoint, publishCheckpoint } from '@civic/audit';
import type { EventStore } from '@civic/event-store';
import type { AuditTrail } from '../audit-log/audit-trail';
import { Public } from '../auth/roles.decorator';
import { ApiError } from '../errors/api-error';
import { SignedCheckpoint } from '../receipts/receipt.types';
import { AUDIT_TRAIL, EVENT_STORE } from '../tokens';

export const MAX_CHECKPOINT_PAGE = 500;
/** How long a consistency proof waits for this node's index to reach a checkpoint written a moment ago. */
const INDEX_WAIT_MS = 2000;

@ObjectType({ description: 'Signed checkpoints in order of sequence, a page at a time.' })
export class CheckpointFeedPage {
  @Field(() => [SignedCheckpoint]) checkpoints!: SignedCheckpoint[];
  @Field(() => Int, { nullable: true, description: 'Pass as fromSequence for the next page; null at the end.' }) nextSequence?: number;
}

@ObjectType({ description: 'RFC 6962 consistency proof: the tree of toSize events extends the tree of fromSize events.' })
export class ConsistencyProof {
  @Field(() => Int) fromSize!: number;
  @Field(() => Int) toSize!: number;
  @Field(() => [String], { description: 'Hex SHA-256 hashes, as RFC 6962 §2.1.2 orders them.' }) proof!: string[];
}

/** The public transparency log: every signed checkpoint, and consistency proofs between any two tree sizes, for outside witnesses. */
@Resolver()
export class TransparencyResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUDIT_TRAIL) private readonly trail: AuditTrail,
  ) {}

  @Public()
  @Query(() => CheckpointFeedPage, { description: 'Every signed checkpoint of the history, from a sequence on. No sign-in needed.' })
  async checkpoints(
    @Args('fromSequence', { type: () => Int, defaultValue: 0 }) fromSequence: number,
    @Args('first', { type: () => Int, defaultValue: 100, description: `At most ${MAX_CHECKPOINT_PAGE}.` }) first: number,
  ): Promise<CheckpointFeedPage> {
    if (!Number.isInteger(fromSequence) || fromSequence < 0) throw new ApiError('INPUT.INVALID', 'fromSequence must be 0 or more.');
    if (!Number.isInteger(first) || first < 1 || first > MAX_CHECKPOINT_PAGE)
      throw new ApiError('INPUT.INVALID', `first must be between 1 and ${MAX_CHECKPOINT_PAGE}.`);
    const events = await this.store.readStream(CHECKPOINT_STREAM, { fromRevision: fromSequence, maxCount: first });
    const checkpoints = events.flatMap((e) => {
      const data = parseCheckpoint(e.data);
      return typeof data === 'string' ? [] : [publishCheckpoint(data, e)];
    });
    return { checkpoints, nextSequence: events.length === first ? fromSequence + first : undefined };
  }

  @Public()
  @Query(() => ConsistencyProof, {
    description: 'The RFC 6962 consistency proof between two tree sizes (checkpoints’ eventCount). No sign-in needed.',
  })
  async consistencyProof(
    @Args('fromSize', { type: () => Int }) fromSize: number,
    @Args('toSize', { type: () => Int }) toSize: number,
  ): Promise<ConsistencyProof> {
    if (!Number.isInteger(fromSize) || !Number.isInteger(toSize) || fromSize < 0 || fromSize > toSize)
      throw new ApiError('INPUT.INVALID', 'fromSize and toSize must be integers with 0 ≤ fromSize ≤ toSize.');
    const index = this.trail.index;
    if (index.size < toSize) {
      const head = await this.store.headPosition();
      if (head !== 'start') await this.trail.checkpointer.observed(head, INDEX_WAIT_MS);
    }
    if (index.size < toSize) throw new ApiError('INPUT.INVALID', `The history has ${index.size} events here, fewer than toSize.`);
    const proof = consistencyProof(fromSize, toSize, (a, b) => index.hashRange(a, b));
    return { fromSize, toSize, proof: proof.map((p) => p.toString('hex')) };
  }
}
