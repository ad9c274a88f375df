import type { DomainEvent, Instant } from '../common';
import type { Pot, PotRules } from './pot';

export const PHASES = [
  'draft',
  'proposals_open',
  'review',
  'voting_open',
  'voting_closed',
  'results_published',
  'delivery',
  'closed',
] as const;
export type Phase = (typeof PHASES)[number];

/** When each phase may start; the close of voting is also when ballots stop being accepted. */
export interface Schedule {
  readonly proposalsOpenAt: Instant;
  readonly reviewStartsAt: Instant;
  readonly votingOpensAt: Instant;
  readonly votingClosesAt: Instant;
}

export interface FundDetails {
  readonly fundId: string;
  readonly name: string;
  readonly description: string;
  /** ISO 4217 code; every amount is in its minor unit (pence for GBP). */
  readonly currency: string;
  readonly schedule: Schedule;
  /** Residents younger than this on the day they vote are not eligible, in any pot of the fund. */
  readonly minimumAge: number;
  /**
   * The IANA time zone every date of the fund is shown in (schema version 2; funds created
   * before read as {@link DEFAULT_TIME_ZONE}). Instants are stored in UTC either way.
   */
  readonly timeZone?: string;
}

/** The time zone of funds that name none: the reference borough's. */
export const DEFAULT_TIME_ZONE = 'Europe/London';

type FundRef = { readonly fundId: string };

/**
 * How a fund's bulletin board, exports and certificates publish the counted ballots, fixed
 * before voting opens. `linked` (the default): each ballot's marks under its receipt hash, so a
 * receipt shows what it said. `unlinked`: the counted receipt hashes and the marks apart, so a
 * receipt proves it was counted but not its content (and cannot be shown to prove a vote).
 */
export const BALLOT_PUBLICATIONS = ['linked', 'unlinked'] as const;
export type BallotPublication = (typeof BALLOT_PUBLICATIONS)[number];
export const DEFAULT_BALLOT_PUBLICATION: BallotPublication = 'linked';

export type FundCreated = DomainEvent<'FundCreated', FundDetails>;
export type FundRescheduled = DomainEvent<'FundRescheduled', FundRef & { readonly schedule: Schedule }>;
export type PotAdded = DomainEvent<'PotAdded', FundRef & { readonly pot: Pot }>;
export type PotRulesChanged = DomainEvent<'PotRulesChanged', FundRef & { readonly potId: string; readonly rules: PotRules }>;
export type BallotPublicationChosen = DomainEvent<'BallotPublicationChosen', FundRef & { readonly publication: BallotPublication }>;
export type ProposalsOpened = DomainEvent<'ProposalsOpened', FundRef>;
export type ReviewStarted = DomainEvent<'ReviewStarted', FundRef>;
/** Records the pots as they were frozen, so an auditor need not fold earlier events to know the rules. */
export type VotingOpened = DomainEvent<'VotingOpened', FundRef & { readonly pots: readonly Pot[] }>;
/**
 * `early` (schema version 2): an administrator closed voting before the scheduled time, saying
 * why; the actor is in the metadata. Without it, voting closed at the scheduled time.
 */
export type VotingClosed = DomainEvent<
  'VotingClosed',
  FundRef & { readonly early?: { readonly reason: string; readonly closedAt: Instant } }
>;
/** An administrator moved the close of voting later while it was open (e.g. after an outage), saying why. */
export type VotingExtended = DomainEvent<
  'VotingExtended',
  FundRef & { readonly votingClosesAt: Instant; readonly previousClosesAt: Instant; readonly reason: string }
>;
export type ResultsPublished = DomainEvent<'ResultsPublished', FundRef>;
export type DeliveryStarted = DomainEvent<'DeliveryStarted', FundRef>;
export type FundClosed = DomainEvent<'FundClosed', FundRef>;

export type FundEvent =
  | FundCreated
  | FundRescheduled
  | PotAdded
  | PotRulesChanged
  | BallotPublicationChosen
  | ProposalsOpened
  | ReviewStarted
  | VotingOpened
  | VotingClosed
  | VotingExtended
  | ResultsPublished
  | DeliveryStarted
  | FundClosed;
