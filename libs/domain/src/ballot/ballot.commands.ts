import type { Command } from '../common';
import type { ExistingFund } from '../fund/fund.state';
import type { PaperBatchState } from '../paper-batch/paper-batch';
import type { ResidentState } from '../resident/resident';
import type { AcceptedProposal, BallotContent } from './ballot-content';

/** `voter` is the per-fund pseudonym the handler computed; the stream is `ballot-{potId}-{voter}`. */
type BallotRef = { readonly fundId: string; readonly potId: string; readonly voter: string };
type PaperEntry = { readonly batchId: string; readonly entryNo: number };

/** The kiosk a ballot is cast at, set by the API from the voter's kiosk session (never by the voter). */
export type AssistedAt = { readonly kioskId: string; readonly officer: string; readonly place: string };
type Marks = { readonly content: BallotContent; readonly assisted?: AssistedAt };

/** The first ballot of a voter in a pot (or the first after a withdrawal). */
export type CastBallot = Command<'CastBallot', BallotRef & Marks>;
/** Replaces the voter's ballot: the latest one counts. */
export type ReplaceBallot = Command<'ReplaceBallot', BallotRef & Marks>;
export type WithdrawBallot = Command<'WithdrawBallot', BallotRef>;
/** A reviewer voids a fraudulent ballot; it cannot be cast again. */
export type VoidBallot = Command<'VoidBallot', BallotRef & { readonly reason: string }>;
/** One paper ballot of a batch, entered by hand by an officer. */
export type RecordPaperBallot = Command<'RecordPaperBallot', BallotRef & PaperEntry & { readonly content: BallotContent }>;
/** Corrects a paper entry mistyped from the same batch: a new event, with its reason. */
export type CorrectPaperBallot = Command<
  'CorrectPaperBallot',
  BallotRef & PaperEntry & { readonly content: BallotContent; readonly reason: string }
>;

/**
 * A ballot of an election the council ran elsewhere, imported by an administrator from a pabulib
 * file: the file's voters are not on the register, so no eligibility test; the pot's rules still apply.
 */
export type ImportBallot = Command<'ImportBallot', BallotRef & { readonly content: BallotContent; readonly fileDigest: string }>;

export type BallotCommand =
  CastBallot | ReplaceBallot | WithdrawBallot | VoidBallot | RecordPaperBallot | CorrectPaperBallot | ImportBallot;

/**
 * What a ballot decision needs from other streams, loaded by the handler:
 * - `fund`: phase, schedule and the pot's frozen rules;
 * - `acceptedProposals`: the accepted proposals of the ballot's pot with official costs;
 * - `voter`: the resident behind the pseudonym, for eligibility (held in memory only,
 *   never written to a ballot event); needed to cast, replace and record paper ballots;
 * - `voterDateOfBirth`: opened by the handler from the voter's sealed personal data, in
 *   memory, for the age test (absent when it cannot be opened: not eligible);
 * - `batch`: the paper batch of a paper entry.
 */
export interface BallotContext {
  readonly fund: ExistingFund;
  readonly acceptedProposals: readonly AcceptedProposal[];
  readonly voter?: ResidentState;
  readonly voterDateOfBirth?: string;
  readonly batch?: PaperBatchState;
}
