import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { receiptCode } from '@civic/audit';
import { Public } from '../auth/roles.decorator';
import { BallotReceipt } from './ballot.types';

/** A receipt value, or how to read it when a query asks for it. */
export type Deferred<T> = T | (() => Promise<T>);

/** What a mutation hands back before reading what it need not: the hash, read on demand. */
export type DeferredReceipt = Omit<BallotReceipt, 'hash'> & { readonly hash: Deferred<string | undefined> };

const hashOf = (receipt: DeferredReceipt) => (typeof receipt.hash === 'function' ? receipt.hash() : receipt.hash);

/**
 * The receipt's hash, read from the stored event only when the query selects it (a voter's
 * app asks for it; a bulk client may not). Public at field level: a receipt reaches only the
 * caller its mutation or query was open to, and says nothing more.
 */
@Resolver(() => BallotReceipt)
export class BallotReceiptResolver {
  @Public()
  @ResolveField(() => String, { nullable: true, description: 'The event’s hash in the tamper-evident chain, when the history is chained.' })
  hash(@Parent() receipt: DeferredReceipt): Promise<string | undefined> | string | undefined {
    return hashOf(receipt);
  }

  @Public()
  @ResolveField(() => String, {
    nullable: true,
    description:
      'A short code for people to copy (the hash’s first 80 bits in base32, with a check character): looks the receipt up as the hash does.',
  })
  async code(@Parent() receipt: DeferredReceipt): Promise<string | undefined> {
    const hash = await hashOf(receipt);
    return hash === undefined ? undefined : receiptCode(hash);
  }
}
