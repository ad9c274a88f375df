import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Public } from '../auth/roles.decorator';
import { BallotReceipt } from './ballot.types';

/** A receipt value, or how to read it when a query asks for it. */
export type Deferred<T> = T | (() => Promise<T>);

/** What a mutation hands back before reading what it need not: the hash, read on demand. */
export type DeferredReceipt = Omit<BallotReceipt, 'hash'> & { readonly hash: Deferred<string | undefined> };

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
    return typeof receipt.hash === 'function' ? receipt.hash() : receipt.hash;
  }
}
