import {
  eventFrom,
  HANDLED_COMMANDS_KEPT,
  once,
  reject,
  remember,
  requireId,
  requireRole,
  STAFF,
  type Command,
  type DomainEvent,
} from '../common';

// ------------------------------------------------------------------ events

/**
 * A fund's proposal numbers, one stream per fund: each accepted proposal reserves the next
 * number here before its acceptance is recorded. Appends to this stream are at an exact
 * revision, so two reviewers accepting at once can never take the same number: the loser
 * reloads and takes the next one.
 */
export type ProposalNumberReserved = DomainEvent<
  'ProposalNumberReserved',
  { readonly fundId: string; readonly proposalId: string; readonly number: number }
>;
export type ProposalNumberEvent = ProposalNumberReserved;

// ------------------------------------------------------------------ state

/**
 * How many of a fund's latest reservations its state is made of. Numbers only grow, so the
 * next one is the last one's successor; a retry, or a second reviewer accepting the same
 * proposal, comes soon after the first reservation and finds it among these. So a load reads
 * this many events, not the fund's whole history: an acceptance costs the same at the 2,000th
 * proposal as at the first.
 */
export const PROPOSAL_NUMBERS_FOLDED = HANDLED_COMMANDS_KEPT;

export interface ProposalNumbersState {
  /** The number the next reservation takes (numbers start at 1). */
  readonly next: number;
  /**
   * Proposal id → its number, for the latest `PROPOSAL_NUMBERS_FOLDED` reservations. Once its
   * acceptance is recorded a proposal keeps its number on its own stream, and is never accepted again.
   */
  readonly byProposal: ReadonlyMap<string, number>;
  readonly handled: readonly string[];
}

export const initialProposalNumbersState = (): ProposalNumbersState => ({ next: 1, byProposal: new Map(), handled: [] });

export const evolveProposalNumbers = (state: ProposalNumbersState, event: ProposalNumberEvent): ProposalNumbersState => {
  const byProposal = new Map(state.byProposal);
  byProposal.delete(event.data.proposalId);
  byProposal.set(event.data.proposalId, event.data.number);
  // A Map iterates in insertion order: the first key is the oldest reservation.
  if (byProposal.size > PROPOSAL_NUMBERS_FOLDED) byProposal.delete(byProposal.keys().next().value!);
  return { next: Math.max(state.next, event.data.number + 1), byProposal, handled: remember(state.handled, event) };
};

// ------------------------------------------------------------------ commands

export type ReserveProposalNumber = Command<'ReserveProposalNumber', { readonly fundId: string; readonly proposalId: string }>;
export type ProposalNumberCommand = ReserveProposalNumber;

/** Reserves the next number for a proposal, or nothing when it just reserved one (a retry, or another reviewer's acceptance). */
export const decideProposalNumber = once((command: ProposalNumberCommand, state: ProposalNumbersState): ProposalNumberEvent[] => {
  requireRole(command.metadata.actor, [...STAFF, 'administrator'], 'review or import proposals');
  const { fundId, proposalId } = command.payload;
  requireId(proposalId, 'proposal id');
  if (state.byProposal.has(proposalId)) return [];
  if (!Number.isSafeInteger(state.next)) reject('PROPOSAL.INVALID', 'The fund has run out of proposal numbers.');
  return [eventFrom(command, 'ProposalNumberReserved', { fundId, proposalId, number: state.next })];
});

/** The number a proposal holds, if it reserved one lately. */
export const proposalNumberOf = (state: ProposalNumbersState, proposalId: string): number | undefined => state.byProposal.get(proposalId);
