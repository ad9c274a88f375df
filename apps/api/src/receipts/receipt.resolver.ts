import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { buildInclusionProof, CHECKPOINT_STREAM, parseCheckpoint, publishCheckpoint, receiptCode, type CheckpointData } from '@civic/audit';
import type { EventStore, RecordedEvent } from '@civic/event-store';
import type { AuditTrail } from '../audit-log/audit-trail';
import { Public } from '../auth/roles.decorator';
import { FundReader } from '../funds/fund.reader';
import { AUDIT_TRAIL, EVENT_STORE } from '../tokens';
import { BALLOT_EVENT_TYPES, finalStanding } from './final-standing';
import { ReceiptFinder } from './receipt-finder';
import { standingShown } from './receipt-standing';
import { ReceiptCheck, ReceiptStanding } from './receipt.types';

/** Receipts checked by anyone: the inclusion proof of the event in the latest signed checkpoint, and the ballot's standing. */
@Resolver()
export class ReceiptResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUDIT_TRAIL) private readonly trail: AuditTrail,
    private readonly funds: FundReader,
    private readonly finder: ReceiptFinder,
  ) {}

  @Public()
  @Query(() => ReceiptCheck, {
    nullable: true,
    description: 'Checks a receipt, by its hash or its short code: null when no event of the history has it. No sign-in needed.',
  })
  async receipt(
    @Args('receipt', { description: 'The receipt’s hash (64 hex) or its short code.' }) text: string,
  ): Promise<ReceiptCheck | null> {
    const leaf = await this.finder.leaf(text.trim());
    if (!leaf) return null;
    const hash = leaf.eventHash.toString('hex');
    const [event, checkpoint] = await Promise.all([this.finder.eventAt(leaf), this.latestCheckpoint()]);
    const covered = checkpoint && leaf.index < checkpoint.data.eventCount && this.trail.index.size >= checkpoint.data.eventCount;
    const proof = covered ? buildInclusionProof(this.trail.index, leaf.index, checkpoint.data) : undefined;
    return {
      position: leaf.position,
      hash,
      code: receiptCode(hash),
      proofStatus: covered ? 'included' : 'pending',
      proof: proof && { ...proof, auditPath: [...proof.auditPath] },
      checkpoint: covered ? publishCheckpoint(checkpoint.data, checkpoint.event) : undefined,
      standing: event && (await this.standing(event)),
    } satisfies ReceiptCheck;
  }

  private async latestCheckpoint(): Promise<{ data: CheckpointData; event: RecordedEvent } | undefined> {
    const [last] = await this.store.readStream(CHECKPOINT_STREAM, { direction: 'backwards', maxCount: 1 });
    const data = last && parseCheckpoint(last.data);
    return typeof data === 'object' ? { data, event: last } : undefined;
  }

  private async standing(event: RecordedEvent): Promise<ReceiptStanding | undefined> {
    if (!event.streamName.startsWith('ballot-') || !(BALLOT_EVENT_TYPES as readonly string[]).includes(event.type)) return undefined;
    const { fundId, potId } = event.data as { fundId: string; potId: string };
    const fund = this.funds.get(fundId);
    if (!fund) return undefined;
    const shown = await standingShown(fund.phase, async () => finalStanding(await this.store.readStream(event.streamName), event.revision));
    return { ...shown, potId };
  }
}
