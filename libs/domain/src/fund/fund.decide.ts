import { ADMIN, eventFrom, isInstant, once, reject, requireId, requireRole, requireText, unreachable, type Command } from '../common';
import type { FundCommand, FundContext } from './fund.commands';
import { BALLOT_PUBLICATIONS, DEFAULT_TIME_ZONE, type FundEvent, type Phase, type Schedule } from './fund.events';
import { FROZEN_PHASES, type ExistingFund, type FundState } from './fund.state';
import { isConfiguredWard, wardKey } from '../borough/wards';
import { validatePot, validatePotRules } from './pot';

/** An IANA zone name the runtime knows (Intl is pure: no I/O, no clock). */
const isTimeZone = (zone: unknown): zone is string => {
  if (typeof zone !== 'string' || zone.length > 64 || !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const requireFund = (state: FundState): ExistingFund =>
  state.status === 'none' ? reject('FUND.NOT_FOUND', 'There is no such fund.') : state;

const validateSchedule = (s: Schedule): Schedule => {
  const times = [s?.proposalsOpenAt, s?.reviewStartsAt, s?.votingOpensAt, s?.votingClosesAt];
  const ordered = times.every(isInstant) && times.every((t, i) => i === 0 || times[i - 1] < t);
  return ordered
    ? s
    : reject('FUND.INVALID_SCHEDULE', 'The schedule needs four UTC times in order: proposals, review, voting opens, voting closes.');
};

const requirePhase = (fund: ExistingFund, phase: Phase, what: string): void => {
  if (fund.status !== phase) reject('FUND.WRONG_PHASE', `The fund must be in phase ${phase} to ${what}; it is ${fund.status}.`);
};

const requireUnfrozen = (fund: ExistingFund): void => {
  if (FROZEN_PHASES.includes(fund.status)) reject('FUND.RULES_FROZEN', 'The rules of the fund are frozen once voting has opened.');
};

const requireTime = (command: Command, notBefore: string, what: string): void => {
  if (command.metadata.time < notBefore) reject('FUND.TOO_EARLY', `The schedule does not allow to ${what} yet.`);
};

/** A phase transition: role, current phase, earliest time, and the event it records. */
const transition = <T extends FundEvent['type']>(
  command: FundCommand,
  fund: ExistingFund,
  from: Phase,
  type: T,
  what: string,
  notBefore?: string,
) => {
  requirePhase(fund, from, what);
  if (notBefore !== undefined) requireTime(command, notBefore, what);
  return eventFrom(command, type, { fundId: fund.fundId });
};

const decideFundCommand = (command: FundCommand, state: FundState, context: FundContext = {}): FundEvent[] => {
  const { actor } = command.metadata;
  switch (command.type) {
    case 'CreateFund': {
      requireRole(actor, ADMIN, 'create a fund');
      if (state.status !== 'none') return reject('FUND.ALREADY_EXISTS', 'A fund with this id already exists.');
      const p = command.payload;
      requireId(p.fundId, 'fund id');
      requireText(p.name, 200, 'FUND.INVALID_DETAILS', 'name');
      requireText(p.description, 5000, 'FUND.INVALID_DETAILS', 'description');
      if (typeof p.currency !== 'string' || !/^[A-Z]{3}$/.test(p.currency))
        reject('FUND.INVALID_DETAILS', 'The currency must be an ISO 4217 code.');
      validateSchedule(p.schedule);
      if (!Number.isSafeInteger(p.minimumAge) || p.minimumAge < 0 || p.minimumAge > 150)
        reject('FUND.INVALID_DETAILS', 'The minimum age must be a whole number of years.');
      const timeZone = p.timeZone ?? DEFAULT_TIME_ZONE;
      if (!isTimeZone(timeZone)) reject('FUND.INVALID_DETAILS', 'The time zone must be an IANA name such as Europe/London.');
      const { fundId, name, description, currency, schedule, minimumAge } = p;
      return [eventFrom(command, 'FundCreated', { fundId, name, description, currency, schedule, minimumAge, timeZone }, 2)];
    }
    case 'RescheduleFund': {
      requireRole(actor, ADMIN, 'reschedule a fund');
      const fund = requireFund(state);
      if (!['draft', 'proposals_open', 'review'].includes(fund.status))
        reject('FUND.WRONG_PHASE', 'The schedule cannot change once voting has opened.');
      return [eventFrom(command, 'FundRescheduled', { fundId: fund.fundId, schedule: validateSchedule(command.payload.schedule) })];
    }
    case 'AddPot': {
      requireRole(actor, ADMIN, 'add a pot');
      const fund = requireFund(state);
      requireUnfrozen(fund);
      const given = validatePot(command.payload.pot);
      const wards = context?.wards ?? [];
      if (given.scope.kind === 'ward' && !isConfiguredWard(wards, given.scope.ward))
        reject('FUND.UNKNOWN_WARD', 'This ward is not one of the borough’s wards.');
      // The ward as the borough spells it, however the administrator typed it.
      const canonical =
        given.scope.kind === 'ward' ? wards.find((w) => wardKey(w) === wardKey((given.scope as { ward: string }).ward)) : undefined;
      const pot = canonical ? { ...given, scope: { kind: 'ward' as const, ward: canonical } } : given;
      if (fund.pots.some((p) => p.potId === pot.potId)) reject('FUND.POT_EXISTS', 'A pot with this id already exists.');
      if (pot.scope.kind === 'borough' && fund.pots.some((p) => p.scope.kind === 'borough')) {
        reject('FUND.BOROUGH_POT_EXISTS', 'A fund has one borough-wide pot.');
      }
      const ward = pot.scope.kind === 'ward' ? pot.scope.ward : undefined;
      if (ward !== undefined && fund.pots.some((p) => p.scope.kind === 'ward' && p.scope.ward === ward)) {
        reject('FUND.POT_EXISTS', 'This ward already has a pot.');
      }
      return [eventFrom(command, 'PotAdded', { fundId: fund.fundId, pot })];
    }
    case 'ChangePotRules': {
      requireRole(actor, ADMIN, 'change the rules of a pot');
      const fund = requireFund(state);
      requireUnfrozen(fund);
      const pot = fund.pots.find((p) => p.potId === command.payload.potId) ?? reject('FUND.POT_NOT_FOUND', 'There is no such pot.');
      const { budget, ballot, rule, tieBreak } = { ...pot, ...command.payload.rules };
      const rules = validatePotRules({ budget, ballot, rule, tieBreak });
      return [eventFrom(command, 'PotRulesChanged', { fundId: fund.fundId, potId: pot.potId, rules })];
    }
    case 'ChooseBallotPublication': {
      requireRole(actor, ADMIN, 'choose how ballots are published');
      const fund = requireFund(state);
      requireUnfrozen(fund);
      const { publication } = command.payload;
      if (!BALLOT_PUBLICATIONS.includes(publication))
        reject('FUND.INVALID_DETAILS', `The publication of ballots is one of ${BALLOT_PUBLICATIONS.join(', ')}.`);
      return [eventFrom(command, 'BallotPublicationChosen', { fundId: fund.fundId, publication })];
    }
    case 'OpenProposals': {
      requireRole(actor, ADMIN, 'open proposals');
      const fund = requireFund(state);
      if (fund.status === 'draft' && fund.pots.length === 0) reject('FUND.NO_POTS', 'A fund needs at least one pot before proposals open.');
      return [transition(command, fund, 'draft', 'ProposalsOpened', 'open proposals', fund.schedule.proposalsOpenAt)];
    }
    case 'StartReview': {
      requireRole(actor, ADMIN, 'start the review');
      const fund = requireFund(state);
      return [transition(command, fund, 'proposals_open', 'ReviewStarted', 'start the review', fund.schedule.reviewStartsAt)];
    }
    case 'OpenVoting': {
      requireRole(actor, ADMIN, 'open voting');
      const fund = requireFund(state);
      requirePhase(fund, 'review', 'open voting');
      requireTime(command, fund.schedule.votingOpensAt, 'open voting');
      return [eventFrom(command, 'VotingOpened', { fundId: fund.fundId, pots: fund.pots })];
    }
    case 'CloseVoting': {
      requireRole(actor, [...ADMIN, 'system'], 'close voting');
      const fund = requireFund(state);
      return [transition(command, fund, 'voting_open', 'VotingClosed', 'close voting', fund.schedule.votingClosesAt)];
    }
    case 'CloseVotingEarly': {
      requireRole(actor, ADMIN, 'close voting early');
      const fund = requireFund(state);
      requirePhase(fund, 'voting_open', 'close voting');
      const reason = requireText(command.payload.reason, 2000, 'FUND.REASON_REQUIRED', 'reason');
      const closedAt = command.metadata.time;
      if (closedAt >= fund.schedule.votingClosesAt)
        reject('FUND.WRONG_PHASE', 'Voting is already past its scheduled close: close it as scheduled.');
      return [eventFrom(command, 'VotingClosed', { fundId: fund.fundId, early: { reason, closedAt } }, 2)];
    }
    case 'ExtendVoting': {
      requireRole(actor, ADMIN, 'extend voting');
      const fund = requireFund(state);
      requirePhase(fund, 'voting_open', 'extend voting');
      const reason = requireText(command.payload.reason, 2000, 'FUND.REASON_REQUIRED', 'reason');
      const { votingClosesAt } = command.payload;
      const previousClosesAt = fund.schedule.votingClosesAt;
      if (!isInstant(votingClosesAt) || votingClosesAt <= previousClosesAt || votingClosesAt <= command.metadata.time) {
        reject('FUND.INVALID_SCHEDULE', 'An extension moves the close of voting later than it is now, and into the future.');
      }
      // A close that has passed is a close: ballots after it were refused, so it cannot be undone.
      if (command.metadata.time >= previousClosesAt) reject('FUND.WRONG_PHASE', 'Voting has passed its close; nothing reopens it.');
      return [eventFrom(command, 'VotingExtended', { fundId: fund.fundId, votingClosesAt, previousClosesAt, reason })];
    }
    case 'PublishResults': {
      requireRole(actor, ['councillor'], 'publish results');
      const fund = requireFund(state);
      requirePhase(fund, 'voting_closed', 'publish results');
      const published = context.publishedPotIds ?? [];
      if (!fund.pots.every((p) => published.includes(p.potId))) {
        reject('FUND.RESULTS_NOT_READY', 'Every pot needs a published allocation before the results are published.');
      }
      return [eventFrom(command, 'ResultsPublished', { fundId: fund.fundId })];
    }
    case 'StartDelivery':
      requireRole(actor, ADMIN, 'start delivery');
      return [transition(command, requireFund(state), 'results_published', 'DeliveryStarted', 'start delivery')];
    case 'CloseFund':
      requireRole(actor, ADMIN, 'close the fund');
      return [transition(command, requireFund(state), 'delivery', 'FundClosed', 'close the fund')];
    default:
      return unreachable(command);
  }
};

/** Decides a fund command; a command id already handled by this fund yields no events. */
export const decideFund = once(decideFundCommand);
