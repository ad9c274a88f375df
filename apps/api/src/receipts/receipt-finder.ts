import { Inject, Injectable } from '@nestjs/common';
import { parseReceiptCode, type IndexedLeaf } from '@civic/audit';
import type { EventStore, RecordedEvent } from '@civic/event-store';
import type { AuditTrail } from '../audit-log/audit-trail';
import { ApiError } from '../errors/api-error';
import { AUDIT_TRAIL, EVENT_STORE } from '../tokens';
import { BALLOT_EVENT_TYPES } from './final-standing';

/** How long a lookup waits for the Checkpointer to index an event committed a moment ago. */
const INDEX_WAIT_MS = 2000;

/** A ballot's event named by a receipt: its fund, pot and the voter's pseudonym, read from the event (never from the caller). */
export interface ReceiptBallot {
  readonly event: RecordedEvent;
  readonly fundId: string;
  readonly potId: string;
  readonly voter: string;
}

/** Finds the event a receipt (hash or short code) names, through the audit trail's index of event hashes. */
@Injectable()
export class ReceiptFinder {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUDIT_TRAIL) private readonly trail: AuditTrail,
  ) {}

  async leaf(text: string): Promise<IndexedLeaf | undefined> {
    const lookup = (): IndexedLeaf | undefined => {
      if (/^[0-9a-f]{64}$/i.test(text)) return this.trail.index.byHash(Buffer.from(text, 'hex'));
      const prefix = parseReceiptCode(text);
      if (!prefix)
        throw new ApiError(
          'INPUT.INVALID',
          'A receipt is a 64-character hash or a code like 7QK2-M9XD-3F0A-BN4T-H; check it for typing mistakes.',
        );
      const found = this.trail.index.byPrefix(prefix);
      return found.length === 1 ? found[0] : undefined;
    };
    const found = lookup();
    if (found) return found;
    // Committed a moment ago, perhaps: wait for the index to reach the head, then look once more.
    const head = await this.store.headPosition();
    if (head === 'start' || !(await this.trail.checkpointer.observed(head, INDEX_WAIT_MS))) return undefined;
    return lookup();
  }

  /** The event of a leaf: the one after the previous leaf's position. */
  async eventAt(leaf: IndexedLeaf): Promise<RecordedEvent | undefined> {
    const after = leaf.index === 0 ? 'start' : this.trail.index.leaf(leaf.index - 1)?.position;
    if (after === undefined) return undefined;
    const [event] = await this.store.readAll({ after, maxCount: 1 });
    return event?.position === leaf.position ? event : undefined;
  }

  /** The ballot a receipt is of; undefined when the receipt names no event, or an event that is not a ballot's. */
  async ballot(text: string): Promise<ReceiptBallot | undefined> {
    if (text.length > 200) throw new ApiError('INPUT.INVALID', 'A receipt is at most 200 characters.');
    const leaf = await this.leaf(text.trim());
    const event = leaf && (await this.eventAt(leaf));
    if (!event || !event.streamName.startsWith('ballot-') || !(BALLOT_EVENT_TYPES as readonly string[]).includes(event.type))
      return undefined;
    const { fundId, potId, voter } = event.data as { fundId: string; potId: string; voter: string };
    return { event, fundId, potId, voter };
  }
}
