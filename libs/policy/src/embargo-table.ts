import { PHASES, type Phase } from '@civic/domain';

/** Who asks: the token's role, or nobody signed in (the public, a scraper of `/metrics`, a public export). */
export const VIEWERS = ['anonymous', 'resident', 'reviewer', 'councillor', 'administrator', 'auditor'] as const;
export type Viewer = (typeof VIEWERS)[number];

/** The kinds of data whose visibility depends on who asks and on the fund's phase. */
export const DATA_KINDS = [
  'fund',
  'tally',
  'ballotMarks',
  'ballotTimes',
  'draftAllocation',
  'results',
  'receiptStanding',
  'pseudonyms',
  'voterLinked',
  'auditLog',
] as const;
export type DataKind = (typeof DATA_KINDS)[number];

/**
 * From least to most: `hidden` (nothing, not even whether it exists), `own` (only the caller's
 * own items), `aggregate` (counts or coarsened values only, never the items themselves),
 * `visible` (the data itself). Combining two answers keeps the lesser.
 */
export const LEVELS = ['hidden', 'own', 'aggregate', 'visible'] as const;
export type Level = (typeof LEVELS)[number];

/** What each kind covers, in words (the README's table says the same). */
export const KIND_MEANING: Record<DataKind, string> = {
  fund: 'a fund and its pots: name, phase, schedule, budgets, ballot types, rules',
  tally: "a pot's counts: ballots, paper ballots, supporters and points per proposal",
  ballotMarks: 'what a ballot marks (its content), one ballot at a time',
  ballotTimes: 'when a ballot was cast or replaced, exactly (aggregate: to the hour)',
  draftAllocation: 'an allocation as recorded, overridden and ratified before the results are out: lines, amounts, reasons, digest',
  results: "a pot's published allocation: funded proposals, amounts, reasons",
  receiptStanding:
    "what checking a receipt tells: aggregate is 'recorded' (and whether voting has closed); visible is counted, superseded or voided",
  pseudonyms: "voters' keyed pseudonyms (ballot stream names, pabulib voter ids)",
  voterLinked:
    "anything linking a person (register reference, personal data, an id that is not a pseudonym) to a ballot: own is the caller's own",
  auditLog: 'the history entry by entry, each entry showing only what the kinds above allow',
};

/** One level per phase, in the order of {@link PHASES}. */
type PhaseRow = readonly [Level, Level, Level, Level, Level, Level, Level, Level];

const H = 'hidden';
const O = 'own';
const A = 'aggregate';
const V = 'visible';
const ALWAYS: PhaseRow = [V, V, V, V, V, V, V, V];
const NEVER: PhaseRow = [H, H, H, H, H, H, H, H];
/** Hidden until the fund's results are published (`ResultsPublished`), visible from then on. */
const AFTER_RESULTS: PhaseRow = [H, H, H, H, H, V, V, V];

/**
 * THE embargo: who may see which data in which phase of the fund. Every path that serves data
 * (GraphQL fields and subscriptions, time travel, exports, replay, metrics, logs) asks
 * {@link access}; nothing else decides. The README's table is generated from this one
 * (`renderEmbargoTable`), and a test fails when they differ.
 */
export const EMBARGO: Readonly<Record<DataKind, Readonly<Record<Viewer, PhaseRow>>>> = {
  fund: { anonymous: ALWAYS, resident: ALWAYS, reviewer: ALWAYS, councillor: ALWAYS, administrator: ALWAYS, auditor: ALWAYS },
  // Staff watch live tallies (aggregates only); the public sees them once results are out.
  tally: {
    anonymous: AFTER_RESULTS,
    resident: AFTER_RESULTS,
    reviewer: ALWAYS,
    councillor: ALWAYS,
    administrator: ALWAYS,
    auditor: ALWAYS,
  },
  // Auditors read every ballot (under pseudonyms) to check one ballot per voter and recompute
  // before publication; staff see only the tallies; a resident sees their own ballot.
  ballotMarks: {
    anonymous: AFTER_RESULTS,
    resident: [O, O, O, O, O, V, V, V],
    reviewer: [A, A, A, A, A, V, V, V],
    councillor: [A, A, A, A, A, V, V, V],
    administrator: [A, A, A, A, A, V, V, V],
    auditor: ALWAYS,
  },
  // When a ballot was cast is a clue to who cast it: to the hour, except for auditors.
  ballotTimes: {
    anonymous: [A, A, A, A, A, A, A, A],
    resident: [A, A, A, A, A, A, A, A],
    reviewer: [A, A, A, A, A, A, A, A],
    councillor: [A, A, A, A, A, A, A, A],
    administrator: [A, A, A, A, A, A, A, A],
    auditor: ALWAYS,
  },
  // The councillors who ratify and publish it, the administrator who computes it, the auditor who recomputes it.
  draftAllocation: {
    anonymous: AFTER_RESULTS,
    resident: AFTER_RESULTS,
    reviewer: AFTER_RESULTS,
    councillor: ALWAYS,
    administrator: ALWAYS,
    auditor: ALWAYS,
  },
  results: {
    anonymous: AFTER_RESULTS,
    resident: AFTER_RESULTS,
    reviewer: AFTER_RESULTS,
    councillor: ALWAYS,
    administrator: ALWAYS,
    auditor: ALWAYS,
  },
  // A receipt is checked without signing in: whoever holds it learns the same.
  receiptStanding: {
    anonymous: [H, H, H, A, A, V, V, V],
    resident: [H, H, H, A, A, V, V, V],
    reviewer: [H, H, H, A, A, V, V, V],
    councillor: [H, H, H, A, A, V, V, V],
    administrator: [H, H, H, A, A, V, V, V],
    auditor: [H, H, H, A, A, V, V, V],
  },
  // The public record is pseudonymous: it shows which pseudonym cast which ballot, never who is behind it.
  pseudonyms: { anonymous: ALWAYS, resident: ALWAYS, reviewer: ALWAYS, councillor: ALWAYS, administrator: ALWAYS, auditor: ALWAYS },
  voterLinked: {
    anonymous: NEVER,
    resident: [O, O, O, O, O, O, O, O],
    reviewer: NEVER,
    councillor: NEVER,
    administrator: NEVER,
    auditor: NEVER,
  },
  auditLog: { anonymous: ALWAYS, resident: ALWAYS, reviewer: ALWAYS, councillor: ALWAYS, administrator: ALWAYS, auditor: ALWAYS },
};

const rank = (level: Level): number => LEVELS.indexOf(level);

/** The lesser of two levels. */
export const least = (a: Level, b: Level): Level => (rank(a) <= rank(b) ? a : b);

/**
 * What `viewer` may see of `kind` in a fund that stands at `phase` — or, given several phases,
 * the least of them. Time travel passes the phase as of the position asked about AND the phase
 * now: an answer about the past never shows what that phase hid (a running tally stays a
 * running tally), nor what the present hides. No phase at all (an unknown fund) is taken as draft.
 */
export function access(viewer: Viewer, kind: DataKind, phase: Phase | readonly Phase[]): Level {
  const row = EMBARGO[kind][viewer];
  const given: readonly Phase[] = typeof phase === 'string' ? [phase] : phase;
  // No phase: a fund not (yet) in the history, taken as in draft, the least of every row.
  const phases = given.length > 0 ? given : PHASES.slice(0, 1);
  return phases.map((p) => row[PHASES.indexOf(p)]).reduce(least);
}

/** The least level over every phase: for data not tied to one fund (a resident's record). */
export function accessInAnyPhase(viewer: Viewer, kind: DataKind): Level {
  return access(viewer, kind, PHASES);
}

/** Whether `viewer` sees the items themselves (not only aggregates, not only their own). */
export const sees = (viewer: Viewer, kind: DataKind, phase: Phase | readonly Phase[]): boolean => access(viewer, kind, phase) === 'visible';

/**
 * What checking a receipt may say in a phase (issue 15): `none` before voting opens (there are
 * no receipts), `recorded` while voting is open (nothing about later revisions),
 * `recorded_voting_closed` after the close, `final` once results are published (counted,
 * superseded or voided, with the public reason).
 */
export type ReceiptStanding = 'none' | 'recorded' | 'recorded_voting_closed' | 'final';

export function receiptStandingVisibility(phase: Phase): ReceiptStanding {
  // A receipt is checked without signing in: the anonymous row decides.
  const level = access('anonymous', 'receiptStanding', phase);
  if (level === 'hidden') return 'none';
  if (level === 'visible') return 'final';
  return PHASES.indexOf(phase) >= PHASES.indexOf('voting_closed') ? 'recorded_voting_closed' : 'recorded';
}

/** The viewer of a caller: their token's role, or anonymous. */
export const viewerOf = (principal: { readonly role: string } | undefined): Viewer => {
  const role = principal?.role;
  return (VIEWERS as readonly string[]).includes(role ?? '') ? (role as Viewer) : 'anonymous';
};
