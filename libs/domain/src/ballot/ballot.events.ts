import type { DomainEvent } from '../common';
import type { BallotContent } from './ballot-content';

/** Where a ballot came from: the voter online, or an entry of a paper batch. */
export type BallotSource =
  { readonly channel: 'online' } | { readonly channel: 'paper'; readonly batchId: string; readonly entryNo: number };

/** A ballot names its voter only by the per-fund pseudonym: never a reference or name. */
type BallotRef = { readonly fundId: string; readonly potId: string; readonly voter: string };

export type BallotCast = DomainEvent<'BallotCast', BallotRef & { readonly content: BallotContent; readonly source: BallotSource }>;
/** The latest ballot counts. `reason` is set when an officer corrects a paper entry. */
export type BallotReplaced = DomainEvent<
  'BallotReplaced',
  BallotRef & { readonly content: BallotContent; readonly source: BallotSource; readonly reason?: string }
>;
export type BallotWithdrawn = DomainEvent<'BallotWithdrawn', BallotRef>;
export type BallotVoided = DomainEvent<'BallotVoided', BallotRef & { readonly reason: string }>;

export type BallotEvent = BallotCast | BallotReplaced | BallotWithdrawn | BallotVoided;
