import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Public } from '../auth/roles.decorator';
import { BallotReceipt } from './ballot.types';

/** A receipt value, or how to read it when a query asks for it. */
export type Deferred<T> = T | (() => Promise<T>);

/** What a mutation hands back before reading what it need not: fields left to read on demand. */
export type DeferredReceipt = Omit<BallotReceipt, 'position' | 'hash'> & {
  readonly position: Deferred<string | undefined>;
  readonly hash: Deferred<string | undefined>;
};

/**
 * The receipt's position and hash, read from the stored event only when the query selects
 * them (a voter's app asks for the hash; a bulk client may not). Public at field level: a
 * receipt reaches only the caller its mutation or query was open to, and says nothing more.
 */
@Resolver(() => BallotReceipt)
export class BallotReceiptResolver {
  @Public()
  @ResolveField(() => String, { nullable: true, description: 'Global position of the event written. Opaque.' })
  position(@Parent() receipt: DeferredReceipt): Promise<string | undefined> | string | undefined {
    return typeof receipt.position === 'function' ? receipt.position() : receipt.position;
  }

  @Public()
  @ResolveField(() => String, { nullable: true, description: 'The event’s hash in the tamper-evident chain, when the history is chained.' })
  hash(@Parent() receipt: DeferredReceipt): Promise<string | undefined> | string | undefined {
    return typeof receipt.hash === 'function' ? receipt.hash() : receipt.hash;
  }
}
