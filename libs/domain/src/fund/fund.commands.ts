import type { Command, Instant } from '../common';
import type { BallotPublication, FundDetails, Schedule } from './fund.events';
import type { Pot, PotRules } from './pot';

type FundRef = { readonly fundId: string };

export type CreateFund = Command<'CreateFund', FundDetails>;
export type RescheduleFund = Command<'RescheduleFund', FundRef & { readonly schedule: Schedule }>;
export type AddPot = Command<'AddPot', FundRef & { readonly pot: Pot }>;
/** Changes any of budget, ballot type, rule and tie-break: refused once voting has opened. */
export type ChangePotRules = Command<'ChangePotRules', FundRef & { readonly potId: string; readonly rules: Partial<PotRules> }>;
/** Chooses linked or unlinked publication of the counted ballots: refused once voting has opened. */
export type ChooseBallotPublication = Command<'ChooseBallotPublication', FundRef & { readonly publication: BallotPublication }>;
export type OpenProposals = Command<'OpenProposals', FundRef>;
export type StartReview = Command<'StartReview', FundRef>;
export type OpenVoting = Command<'OpenVoting', FundRef>;
export type CloseVoting = Command<'CloseVoting', FundRef>;
/** Closes voting before its scheduled time, with a reason recorded for auditors and the public. */
export type CloseVotingEarly = Command<'CloseVotingEarly', FundRef & { readonly reason: string }>;
/** Moves the close of voting later while it is open, with a reason. Once closed, nothing reopens it. */
export type ExtendVoting = Command<'ExtendVoting', FundRef & { readonly votingClosesAt: Instant; readonly reason: string }>;
export type PublishResults = Command<'PublishResults', FundRef>;
export type StartDelivery = Command<'StartDelivery', FundRef>;
export type CloseFund = Command<'CloseFund', FundRef>;

export type FundCommand =
  | CreateFund
  | RescheduleFund
  | AddPot
  | ChangePotRules
  | ChooseBallotPublication
  | OpenProposals
  | StartReview
  | OpenVoting
  | CloseVoting
  | CloseVotingEarly
  | ExtendVoting
  | PublishResults
  | StartDelivery
  | CloseFund;

/**
 * What deciding a fund command needs from other streams. Only `PublishResults` reads it:
 * the pots whose allocation has been published (loaded from the allocation streams).
 */
export interface FundContext {
  readonly publishedPotIds?: readonly string[];
  /** For `AddPot`: the borough's configured wards (empty: none configured yet). */
  readonly wards?: readonly string[];
}
