import { remember, unreachable } from '../common';
import type { BallotPublication, FundDetails, FundEvent, Phase } from './fund.events';
import type { Pot } from './pot';

export type FundState =
  | { readonly status: 'none'; readonly handled: readonly string[] }
  | (FundDetails & {
      readonly status: Phase;
      readonly pots: readonly Pot[];
      /** Absent until chosen: `linked`. */
      readonly publication?: BallotPublication;
      readonly handled: readonly string[];
    });

export type ExistingFund = Extract<FundState, { pots: readonly Pot[] }>;

export const initialFundState = (): FundState => ({ status: 'none', handled: [] });

/** Phases from which the rules of every pot are frozen. */
export const FROZEN_PHASES: readonly Phase[] = ['voting_open', 'voting_closed', 'results_published', 'delivery', 'closed'];

export const evolveFund = (state: FundState, event: FundEvent): FundState => {
  const handled = remember(state.handled, event);
  if (event.type === 'FundCreated') return { ...event.data, status: 'draft', pots: [], handled };
  // Every other event belongs to an existing fund; a malformed history is a bug, not a rejection.
  if (state.status === 'none') throw new Error(`${event.type} before FundCreated`);
  switch (event.type) {
    case 'FundRescheduled':
      return { ...state, schedule: event.data.schedule, handled };
    case 'PotAdded':
      return { ...state, pots: [...state.pots, event.data.pot], handled };
    case 'PotRulesChanged':
      return {
        ...state,
        pots: state.pots.map((pot) => (pot.potId === event.data.potId ? { ...pot, ...event.data.rules } : pot)),
        handled,
      };
    case 'BallotPublicationChosen':
      return { ...state, publication: event.data.publication, handled };
    case 'ProposalsOpened':
      return { ...state, status: 'proposals_open', handled };
    case 'ReviewStarted':
      return { ...state, status: 'review', handled };
    case 'VotingOpened':
      return { ...state, status: 'voting_open', handled };
    case 'VotingClosed': {
      // An early close moves the schedule's close to when it happened, so every date shown is true.
      const early = event.data.early;
      return {
        ...state,
        status: 'voting_closed',
        ...(early && { schedule: { ...state.schedule, votingClosesAt: early.closedAt } }),
        handled,
      };
    }
    case 'VotingExtended':
      return { ...state, schedule: { ...state.schedule, votingClosesAt: event.data.votingClosesAt }, handled };
    case 'ResultsPublished':
      return { ...state, status: 'results_published', handled };
    case 'DeliveryStarted':
      return { ...state, status: 'delivery', handled };
    case 'FundClosed':
      return { ...state, status: 'closed', handled };
    default:
      return unreachable(event);
  }
};
