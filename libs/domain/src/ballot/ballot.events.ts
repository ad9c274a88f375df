import type { DomainEvent } from '../common';
import type { BallotContent } from './ballot-content';

/** Where a ballot came from: the voter online, an entry of a paper batch, or a kiosk an officer attends. */
export type BallotSource =
  | { readonly channel: 'online' }
  /** Cast by the voter at a kiosk (assisted voting at a library or community centre): its officer and place, as a paper batch records them. */
  | { readonly channel: 'assisted'; readonly kioskId: string; readonly officer: string; readonly place: string }
  | { readonly channel: 'paper'; readonly batchId: string; readonly entryNo: number }
  /** A ballot of an election run elsewhere, imported from a pabulib file (schema version 2): the file's SHA-256. */
  | { readonly channel: 'imported'; readonly fileDigest: string };

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
