import type { Actor, Command, DomainEvent, Instant } from '../common';
import type { FundEvent, Phase, Schedule } from '../fund/fund.events';
import { evolveFund, initialFundState, type ExistingFund } from '../fund/fund.state';
import type { Pot } from '../fund/pot';
import type { SealedPersonalData } from '../resident/personal-data';
import type { ResidentState } from '../resident/resident';

/** Instants of a fund's life, in order. */
export const T = {
  created: '2026-01-05T09:00:00Z',
  proposalsOpen: '2026-02-01T09:00:00Z',
  review: '2026-03-01T09:00:00Z',
  votingOpens: '2026-04-01T09:00:00Z',
  duringVoting: '2026-04-07T12:00:00Z',
  votingCloses: '2026-04-15T21:00:00Z',
  afterVoting: '2026-04-16T09:00:00Z',
} as const satisfies Record<string, Instant>;

export const schedule: Schedule = {
  proposalsOpenAt: T.proposalsOpen,
  reviewStartsAt: T.review,
  votingOpensAt: T.votingOpens,
  votingClosesAt: T.votingCloses,
};

const staff = (role: Actor['role'], id: string): Actor => ({ role, id });
export const actors = {
  admin: staff('administrator', 'staff-admin'),
  reviewer: staff('reviewer', 'staff-reviewer'),
  councillor: staff('councillor', 'staff-councillor'),
  auditor: staff('auditor', 'staff-auditor'),
  system: staff('system', 'scheduler'),
  resident: (id = 'voter-a'): Actor => ({ role: 'resident', id }),
};

let sequence = 0;
/** A command with fresh ids, unless `commandId` is given (to test retries). */
export const command = <C extends Command>(
  type: C['type'],
  payload: C['payload'],
  actor: Actor,
  time: Instant,
  commandId = `cmd-${++sequence}`,
): C => ({ type, payload, metadata: { commandId, actor, correlationId: `corr-${commandId}`, causationId: commandId, time } }) as C;

/** An event as if a past command had recorded it: for the "given" of a test. */
export const past = <E extends DomainEvent>(type: E['type'], data: E['data'], time: Instant = T.created): E =>
  ({
    type,
    data,
    metadata: {
      commandId: `past-${++sequence}`,
      actorRole: 'administrator',
      actorId: 'staff-admin',
      correlationId: 'c',
      causationId: 'c',
      time,
      schemaVersion: 1,
    },
  }) as E;

export const FUND_ID = 'fund-2026';

export const boroughPot: Pot = {
  potId: 'pot-borough',
  name: 'Borough-wide',
  scope: { kind: 'borough' },
  budget: 100_000_00,
  ballot: { kind: 'approval', minPicks: 1, maxPicks: 3 },
  rule: 'greedy_by_votes',
  tieBreak: { kind: 'lexico' },
};

export const wardPot: Pot = {
  potId: 'pot-spitalfields',
  name: 'Spitalfields and Banglatown',
  scope: { kind: 'ward', ward: 'spitalfields' },
  budget: 20_000_00,
  ballot: { kind: 'knapsack' },
  rule: 'equal_shares_with_completion',
  tieBreak: { kind: 'equalshares', seed: 'seed-2026-spitalfields' },
};

export const pointsPot: Pot = {
  potId: 'pot-bow',
  name: 'Bow East',
  scope: { kind: 'ward', ward: 'bow-east' },
  budget: 10_000_00,
  ballot: { kind: 'cumulative', points: 10 },
  rule: 'greedy_by_votes',
  tieBreak: { kind: 'lexico' },
};

const TRANSITIONS: readonly [Phase, FundEvent['type'], Instant][] = [
  ['proposals_open', 'ProposalsOpened', T.proposalsOpen],
  ['review', 'ReviewStarted', T.review],
  ['voting_open', 'VotingOpened', T.votingOpens],
  ['voting_closed', 'VotingClosed', T.votingCloses],
  ['results_published', 'ResultsPublished', T.afterVoting],
  ['delivery', 'DeliveryStarted', T.afterVoting],
  ['closed', 'FundClosed', T.afterVoting],
];

/** The history of a fund with the three pots, up to a phase. */
export const fundHistory = (phase: Phase, pots: readonly Pot[] = [boroughPot, wardPot, pointsPot]): FundEvent[] => {
  const events: FundEvent[] = [
    past('FundCreated', {
      fundId: FUND_ID,
      name: 'You Decide! 2026',
      description: 'Regeneration fund',
      currency: 'GBP',
      schedule,
      minimumAge: 16,
    }),
    ...pots.map((pot) => past<FundEvent>('PotAdded', { fundId: FUND_ID, pot })),
  ];
  if (phase === 'draft') return events;
  for (const [reached, type, time] of TRANSITIONS) {
    const data = type === 'VotingOpened' ? { fundId: FUND_ID, pots } : { fundId: FUND_ID };
    events.push(past<FundEvent>(type, data as never, time));
    if (reached === phase) break;
  }
  return events;
};

export const fundAt = (phase: Phase, pots?: readonly Pot[]): ExistingFund =>
  fundHistory(phase, pots).reduce(evolveFund, initialFundState()) as ExistingFund;

/** Personal data as the application would seal it: opaque here (the domain never opens it). */
export const sealedFor = (residentId: string): SealedPersonalData => ({
  keyId: residentId,
  ciphertext: 'c2VhbGVkIGJ5IHRoZSBhcHBsaWNhdGlvbg==',
});

/** A verified resident of a ward (their date of birth is sealed: the context carries it for eligibility). */
export const verifiedResident = (ward = 'spitalfields'): ResidentState => ({
  status: 'verified',
  residentId: 'resident-1',
  ward,
  personal: sealedFor('resident-1'),
  handled: [],
});

/** The date of birth of a resident aged 30 during the 2026 vote. */
export const ADULT_BORN = '1996-01-01';
