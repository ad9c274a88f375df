import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isNonNullType,
  type GraphQLInputType,
  type GraphQLNamedType,
} from 'graphql';
import { QUERY_LIMITS } from '../apps/api/src/app.module';
import type { Role as ApiRole } from '../apps/api/src/auth/principal';
import { SessionService } from '../apps/api/src/auth/session.service';
import { startApi } from './support/api-client';
import { ok, votingFund, type VotingFund } from './support/voting-fund';

/**
 * Bad input for every mutation of the schema, one by one, against the running server: wrong
 * types, oversized strings, negative or absurd amounts, out-of-range numbers and unknown ids.
 * Each is refused with a stable code and a plain message, and changes nothing: the history's
 * head, the funds and the proposals are the same afterwards. A mutation added to the schema
 * without its cases fails the coverage test. The same cases then go to a production-mode
 * server, where nothing internal may leave either.
 */
jest.setTimeout(180_000);

const schema = buildSchema(readFileSync(join(__dirname, '../apps/api/schema.graphql'), 'utf8'));
const MUTATIONS = schema.getMutationType()!.getFields();

type Vars = Record<string, unknown>;
type Category = 'type' | 'oversized' | 'amount' | 'unknown-id' | 'range' | 'format';
/** `WORLD`: bad only in the state the suite builds (an id that exists there), fine on an empty store. */
type Case = [category: Category, label: string, vars: Vars, code: string | RegExp, world?: typeof WORLD];
const WORLD = 'world';
type Role = 'administrator' | 'reviewer' | 'councillor' | 'resident' | 'voter' | 'author' | 'anonymous';
interface Spec {
  readonly as: Role;
  readonly vars: () => Vars;
  readonly cases: () => Case[];
}

const UNKNOWN = '00000000-0000-4000-8000-0000000000ff';
const LONG = 'x'.repeat(20_000);
const LONG_ID = 'a'.repeat(5_000);
const PATH_ID = '../../etc/passwd';
/** 2^53 − 1 pence: a valid Pence, and about £90 trillion. */
const ABSURD = '9007199254740991';
/** Past the range of a safe integer, or not a whole non-negative number at all. */
const NOT_PENCE = ['-1', '1.5', '1e9', '99999999999999999', ' 100', '0x10'];
const WRONG_TYPE = /^(BAD_USER_INPUT|INPUT\.INVALID)$/;
const INT_MAX = 2 ** 31 - 1;
/** What no error sent to a client may hold: a stack, SQL, a file path, a driver's code. */
const LEAK =
  /\bat \S+ \(|\.[jt]s:\d+|\/(?:work|home|tmp|usr|app|srv|var)\/|node_modules|SQLITE|\bSELECT\b|\bINSERT\b|Cannot read prop|undefined is not|TypeError/;

const schedule = (days: number[]) => {
  const at = (d: number) => new Date(Date.now() + d * 24 * 3600 * 1000).toISOString();
  const [proposalsOpenAt, reviewStartsAt, votingOpensAt, votingClosesAt] = days.map(at);
  return { proposalsOpenAt, reviewStartsAt, votingOpensAt, votingClosesAt };
};

let api: Api;
/** Voting open: A has cast a ballot, B has not, C's ballot came on paper in `batchId`. */
let V: VotingFund;
/** Voting open in a cumulative pot (10 points to spread). */
let Vc: VotingFund;
/** Voting closed with a recorded allocation. */
let L1: VotingFund;
/** In delivery; its first proposal is funded. */
let L2: VotingFund;
/** Proposals open: A wrote its three proposals. */
let P: VotingFund;
/** In review: its three proposals await review. */
let R: VotingFund;
/** In draft, with its pot. */
let draft: VotingFund;
let batchId: string;
let auditor: string;
const [A, B, C, D, E] = ['TH-500001', 'TH-500002', 'TH-500003', 'TH-500004', 'TH-500005'];

const pence = (vars: (amount: string) => Vars): Case[] =>
  NOT_PENCE.map((amount): Case => ['amount', `amount ${JSON.stringify(amount)}`, vars(amount), WRONG_TYPE]);
/** The marks of a cumulative ballot: points for one proposal. */
const spread = (proposalId: string, points: number) => ({ proposalIds: undefined, points: [{ proposalId, points }] });
/** An oversized string in each of these fields of `input`. */
const oversized = (fields: string[], code: string): Case[] =>
  fields.map((field): Case => ['oversized', `an oversized ${field}`, { input: { [field]: LONG } }, code]);
/** The cases of a mutation that takes a fund id only, in a fund whose phase refuses it. */
const fundOnly = (refusing: () => VotingFund): Spec => ({
  as: 'administrator',
  vars: () => ({ fundId: refusing().fundId }),
  cases: () => [
    ['unknown-id', 'an unknown fund', { fundId: UNKNOWN }, 'FUND.NOT_FOUND'],
    ['oversized', 'an oversized fund id', { fundId: LONG_ID }, 'INPUT.INVALID'],
    ['format', 'a path as fund id', { fundId: PATH_ID }, 'INPUT.INVALID'],
    ['format', 'the wrong phase', {}, /^FUND\.(WRONG_PHASE|TOO_EARLY|RESULTS_NOT_READY|NO_POTS)$/],
  ],
});
/** The cases of a councillor's allocation command on a pot (of L1, whose allocation is recorded). */
const potOnly = (wrongState: () => Vars, code: string | RegExp): Spec => ({
  as: 'councillor',
  vars: () => ({ fundId: L1.fundId, potId: L1.potId }),
  cases: () => [
    ['unknown-id', 'an unknown pot', { potId: UNKNOWN }, /^(FUND\.POT_NOT_FOUND|ALLOCATION\.NOT_RECORDED|NOT_FOUND)$/],
    ['unknown-id', 'an unknown fund', { fundId: UNKNOWN }, /^(FUND\.NOT_FOUND|NOT_FOUND)$/],
    ['oversized', 'an oversized pot id', { potId: LONG_ID }, 'INPUT.INVALID'],
    ['format', 'the wrong state', wrongState(), code],
  ],
});

const SPECS: Record<string, Spec> = {
  devSignIn: {
    as: 'anonymous',
    vars: () => ({ role: 'resident', subject: 'TH-1' }),
    cases: () => [
      ['oversized', 'an oversized subject', { subject: LONG }, 'INPUT.INVALID'],
      ['format', 'a blank subject', { subject: '   ' }, 'INPUT.INVALID'],
    ],
  },
  signOut: { as: 'resident', vars: () => ({}), cases: () => [] },
  redeemSignIn: {
    as: 'anonymous',
    vars: () => ({ code: 'a-code-no-sign-in-handed-out' }),
    cases: () => [
      ['oversized', 'an oversized code', { code: LONG }, 'INPUT.INVALID'],
      ['format', 'a code no sign-in handed out', {}, 'AUTH.SIGN_IN_EXPIRED'],
    ],
  },
  requestSignInCode: {
    as: 'anonymous',
    vars: () => ({ identifier: 'resident@example.org' }),
    cases: () => [
      ['oversized', 'an oversized identifier', { identifier: LONG }, 'INPUT.INVALID'],
      ['format', 'a blank identifier', { identifier: '  ' }, 'INPUT.INVALID'],
    ],
  },
  signInWithCode: {
    as: 'anonymous',
    vars: () => ({ challenge: 'no-such-challenge', code: '123456' }),
    cases: () => [
      ['oversized', 'an oversized challenge', { challenge: LONG }, 'INPUT.INVALID'],
      ['oversized', 'an oversized code', { code: LONG }, 'INPUT.INVALID'],
      ['format', 'a code that is not six digits', { code: '12345a' }, 'INPUT.INVALID'],
    ],
  },
  signInWithPollCard: {
    as: 'anonymous',
    vars: () => ({ reference: 'TH-1', code: 'AAAA-AAAA-AAAA-AAAA' }),
    cases: () => [
      ['oversized', 'an oversized reference', { reference: LONG }, 'INPUT.INVALID'],
      ['oversized', 'an oversized code', { code: LONG }, 'INPUT.INVALID'],
    ],
  },
  setMyNotifications: {
    as: 'resident',
    vars: () => ({ input: { votingEmails: true, language: 'en' } }),
    cases: () => [
      ['oversized', 'an oversized language', { input: { language: LONG } }, 'INPUT.INVALID'],
      ['format', 'a language no e-mail is written in', { input: { language: 'fr' } }, 'INPUT.INVALID'],
      ['format', 'e-mails asked for without an address on the register', {}, 'NOTIFICATIONS.NO_EMAIL', WORLD],
    ],
  },
  generatePollCards: {
    as: 'administrator',
    vars: () => ({ fundId: V.fundId }),
    cases: () => [
      ['unknown-id', 'an unknown fund', { fundId: UNKNOWN }, 'NOT_FOUND'],
      ['oversized', 'an oversized fund id', { fundId: LONG_ID }, 'NOT_FOUND'],
      ['format', 'an administrator without the personal-data permission', {}, 'AUTH.FORBIDDEN', WORLD],
    ],
  },
  generatePollCardLetters: {
    as: 'administrator',
    vars: () => ({ fundId: V.fundId }),
    cases: () => [
      ['unknown-id', 'an unknown fund', { fundId: UNKNOWN }, 'NOT_FOUND'],
      ['oversized', 'an oversized fund id', { fundId: LONG_ID }, 'NOT_FOUND'],
      ['format', 'an administrator without the personal-data permission', {}, 'AUTH.FORBIDDEN', WORLD],
    ],
  },
  revokePollCard: {
    as: 'administrator',
    vars: () => ({ fundId: V.fundId, reference: A }),
    cases: () => [
      ['unknown-id', 'an unknown fund', { fundId: UNKNOWN }, 'NOT_FOUND'],
      ['unknown-id', 'an unknown resident', { reference: 'TH-777777' }, 'NOT_FOUND', WORLD],
      ['oversized', 'an oversized reference', { reference: LONG }, 'INPUT.INVALID'],
    ],
  },
  startKiosk: {
    as: 'reviewer',
    vars: () => ({ fundId: V.fundId, place: 'Idea Store Bow' }),
    cases: () => [
      ['unknown-id', 'an unknown fund', { fundId: UNKNOWN }, 'NOT_FOUND'],
      ['oversized', 'an oversized fund id', { fundId: LONG_ID }, 'NOT_FOUND'],
      ['oversized', 'an oversized place', { place: LONG }, 'INPUT.INVALID'],
      ['format', 'a blank place', { place: '   ' }, 'INPUT.INVALID'],
      ['format', 'a fund whose voting is not open', { fundId: draft.fundId }, 'KIOSK.VOTING_NOT_OPEN', WORLD],
    ],
  },
  signInAtKiosk: {
    as: 'anonymous',
    vars: () => ({ device: 'no-such-device', reference: 'TH-1', code: 'AAAA-AAAA-AAAA-AAAA' }),
    cases: () => [
      ['oversized', 'an oversized device token', { device: LONG }, 'INPUT.INVALID'],
      ['oversized', 'an oversized reference', { reference: LONG }, 'INPUT.INVALID'],
      ['oversized', 'an oversized code', { code: LONG }, 'INPUT.INVALID'],
      ['format', 'a device not in kiosk mode', {}, 'KIOSK.NOT_ACTIVE'],
    ],
  },
  endKiosk: {
    as: 'reviewer',
    vars: () => ({ device: 'no-such-device' }),
    cases: () => [
      ['oversized', 'an oversized device token', { device: LONG }, 'INPUT.INVALID'],
      ['format', 'a device not in kiosk mode', {}, 'KIOSK.NOT_ACTIVE'],
    ],
  },
  createFund: {
    as: 'administrator',
    vars: () => ({ input: { name: 'Fund', description: 'A fund.', schedule: schedule([1, 2, 3, 4]) } }),
    cases: () => [
      ['oversized', 'an oversized name', { input: { name: LONG } }, 'FUND.INVALID_DETAILS'],
      ['oversized', 'an oversized description', { input: { description: LONG } }, 'FUND.INVALID_DETAILS'],
      ['oversized', 'an oversized currency', { input: { currency: LONG } }, 'FUND.INVALID_DETAILS'],
      ['format', 'a blank name', { input: { name: ' ' } }, 'FUND.INVALID_DETAILS'],
      ['format', 'a currency that is not ISO 4217', { input: { currency: 'pounds' } }, 'FUND.INVALID_DETAILS'],
      ['range', 'a negative minimum age', { input: { minimumAge: -1 } }, 'FUND.INVALID_DETAILS'],
      ['range', 'an absurd minimum age', { input: { minimumAge: INT_MAX } }, 'FUND.INVALID_DETAILS'],
      ['format', 'a schedule out of order', { input: { schedule: schedule([4, 3, 2, 1]) } }, 'FUND.INVALID_SCHEDULE'],
      // The DateTime scalar is strict RFC 3339: no day past the month's end, no local time, no words.
      ['format', 'a day past the month’s end', { input: { schedule: { proposalsOpenAt: '2099-02-30T00:00:00Z' } } }, WRONG_TYPE],
      ['format', 'a time without its offset', { input: { schedule: { proposalsOpenAt: '2099-01-01T00:00:00' } } }, WRONG_TYPE],
      ['format', 'a time that is no time', { input: { schedule: { votingOpensAt: 'next Tuesday' } } }, WRONG_TYPE],
      ['unknown-id', 'an existing fund id', { input: { fundId: V.fundId } }, 'FUND.ALREADY_EXISTS', WORLD],
      ['oversized', 'an oversized fund id', { input: { fundId: LONG_ID } }, 'INPUT.INVALID'],
      ['format', 'a path as fund id', { input: { fundId: PATH_ID } }, 'INPUT.INVALID'],
    ],
  },
  rescheduleFund: {
    as: 'administrator',
    vars: () => ({ fundId: draft.fundId, schedule: schedule([1, 2, 3, 4]) }),
    cases: () => [
      ['unknown-id', 'an unknown fund', { fundId: UNKNOWN }, 'FUND.NOT_FOUND'],
      ['oversized', 'an oversized fund id', { fundId: LONG_ID }, 'INPUT.INVALID'],
      ['format', 'a schedule out of order', { schedule: schedule([1, 3, 2, 4]) }, 'FUND.INVALID_SCHEDULE'],
      ['range', 'a date past the calendar', { schedule: { votingClosesAt: '+275760-09-14T00:00:00Z' } }, WRONG_TYPE],
      ['range', 'a stale revision', { expectedRevision: 99 }, 'EDIT.STALE_REVISION'],
    ],
  },
  addPot: {
    as: 'administrator',
    vars: () => ({
      input: {
        fundId: draft.fundId,
        name: 'Bow',
        ward: 'Bow East',
        budget: '100000',
        rule: 'greedy_by_votes',
        ballot: { kind: 'knapsack' },
      },
    }),
    cases: () => [
      ['unknown-id', 'an unknown fund', { input: { fundId: UNKNOWN } }, 'FUND.NOT_FOUND'],
      ['unknown-id', 'an existing pot id', { input: { potId: draft.potId } }, 'FUND.POT_EXISTS'],
      ['oversized', 'an oversized name', { input: { name: LONG } }, 'FUND.INVALID_POT'],
      ['oversized', 'an oversized ward', { input: { ward: LONG } }, /^(FUND|RESIDENT)\.INVALID/],
      ['oversized', 'an oversized pot id', { input: { potId: LONG_ID } }, 'INPUT.INVALID'],
      ['oversized', 'an oversized tie-break seed', { input: { tieBreak: { kind: 'equalshares', seed: LONG } } }, 'FUND.INVALID_POT'],
      ['amount', 'a budget of nothing', { input: { budget: '0' } }, 'FUND.INVALID_POT'],
      ['amount', 'an absurd budget', { input: { budget: ABSURD } }, 'INPUT.INVALID'],
      ['amount', 'a budget past £1bn', { input: { budget: '100000000001' } }, 'INPUT.INVALID'],
      ...pence((budget) => ({ input: { budget } })),
      ['range', 'negative picks', { input: { ballot: { kind: 'approval', minPicks: -1, maxPicks: 2 } } }, 'FUND.INVALID_POT'],
      ['range', 'fewer most picks than fewest', { input: { ballot: { kind: 'approval', minPicks: 3, maxPicks: 2 } } }, 'FUND.INVALID_POT'],
      ['range', 'absurd picks', { input: { ballot: { kind: 'approval', minPicks: 1, maxPicks: INT_MAX } } }, 'INPUT.INVALID'],
      ['range', 'an approval ballot with no most picks', { input: { ballot: { kind: 'approval' } } }, 'FUND.INVALID_POT'],
      ['range', 'negative points', { input: { ballot: { kind: 'cumulative', points: -5 } } }, 'FUND.INVALID_POT'],
      ['range', 'absurd points', { input: { ballot: { kind: 'cumulative', points: INT_MAX } } }, 'INPUT.INVALID'],
    ],
  },
  changePotRules: {
    as: 'administrator',
    vars: () => ({
      fundId: draft.fundId,
      potId: draft.potId,
      rules: { budget: '100000', rule: 'greedy_by_votes', ballot: { kind: 'knapsack' } },
    }),
    cases: () => [
      ['unknown-id', 'an unknown pot', { potId: UNKNOWN }, 'FUND.POT_NOT_FOUND'],
      ['unknown-id', 'an unknown fund', { fundId: UNKNOWN }, 'FUND.NOT_FOUND'],
      ['oversized', 'an oversized pot id', { potId: LONG_ID }, 'INPUT.INVALID'],
      ['amount', 'a budget of nothing', { rules: { budget: '0' } }, 'FUND.INVALID_POT'],
      ['amount', 'an absurd budget', { rules: { budget: ABSURD } }, 'INPUT.INVALID'],
      ...pence((budget) => ({ rules: { budget } })),
      ['range', 'negative picks', { rules: { ballot: { kind: 'approval', minPicks: -2, maxPicks: -1 } } }, 'FUND.INVALID_POT'],
      ['oversized', 'an oversized seed', { rules: { tieBreak: { kind: 'equalshares', seed: LONG } } }, 'FUND.INVALID_POT'],
      ['format', 'frozen rules', { fundId: V.fundId, potId: V.potId }, 'FUND.RULES_FROZEN'],
      ['range', 'a negative revision', { expectedRevision: -1 }, 'EDIT.STALE_REVISION'],
    ],
  },
  openProposals: fundOnly(() => V),
  startReview: fundOnly(() => draft),
  openVoting: fundOnly(() => P),
  closeVoting: fundOnly(() => draft),
  importPabulib: {
    as: 'administrator',
    // A fund in draft: even a good file is refused, so no case writes anything.
    vars: () => ({ fundId: draft.fundId, potId: draft.potId, file: 'META\nkey;value\n', part: 'projects' }),
    cases: () => [
      ['unknown-id', 'an unknown pot', { fundId: V.fundId, potId: UNKNOWN }, /^(FUND\.POT_NOT_FOUND|IMPORT\.MALFORMED)$/],
      ['unknown-id', 'an unknown fund', { fundId: UNKNOWN }, /^(FUND\.NOT_FOUND|IMPORT\.MALFORMED)$/],
      ['oversized', 'an oversized pot id', { potId: LONG_ID }, 'INPUT.INVALID'],
      ['oversized', 'an oversized file that is not pabulib', { file: LONG }, 'IMPORT.MALFORMED'],
      ['format', 'a file that is not pabulib', { file: 'name,cost\nbench,100' }, 'IMPORT.MALFORMED'],
    ],
  },
  configureWards: {
    as: 'administrator',
    // An empty list: even the plain call is refused, so no case changes the wards the others use.
    vars: () => ({ wards: [] }),
    cases: () => [
      ['format', 'no wards', {}, 'WARDS.INVALID'],
      ['format', 'a ward named twice', { wards: ['Bow East', 'BOW EAST'] }, 'WARDS.INVALID'],
      ['oversized', 'an oversized ward', { wards: [LONG] }, 'WARDS.INVALID'],
      ['range', 'too many wards', { wards: Array.from({ length: 201 }, (_, i) => `Ward ${i}`) }, 'WARDS.INVALID'],
    ],
  },
  chooseBallotPublication: {
    as: 'administrator',
    // A fund whose voting is open: even the plain call is refused, the choice being fixed by then.
    vars: () => ({ fundId: V.fundId, publication: 'unlinked' }),
    cases: () => [
      ['unknown-id', 'an unknown fund', { fundId: UNKNOWN }, 'FUND.NOT_FOUND'],
      ['oversized', 'an oversized fund id', { fundId: LONG_ID }, 'INPUT.INVALID'],
      ['type', 'a kind of publication there is not', { publication: 'secret' }, WRONG_TYPE],
      ['format', 'a choice after voting opened', {}, 'FUND.RULES_FROZEN'],
    ],
  },
  closeVotingEarly: {
    as: 'administrator',
    // A draft fund: even the plain call is refused, so no case can close a vote the others need.
    vars: () => ({ fundId: draft.fundId, reason: 'Fraud under investigation' }),
    cases: () => [
      ['unknown-id', 'an unknown fund', { fundId: UNKNOWN }, 'FUND.NOT_FOUND'],
      ['oversized', 'an oversized fund id', { fundId: LONG_ID }, 'INPUT.INVALID'],
      ['oversized', 'an oversized reason', { fundId: V.fundId, reason: LONG }, 'FUND.REASON_REQUIRED'],
      ['format', 'a blank reason', { fundId: V.fundId, reason: '  ' }, 'FUND.REASON_REQUIRED'],
      ['format', 'the wrong phase', {}, 'FUND.WRONG_PHASE'],
    ],
  },
  extendVoting: {
    as: 'administrator',
    // A close earlier than the one in force: refused, so no case can move a vote the others need.
    vars: () => ({ fundId: V.fundId, votingClosesAt: '2000-01-01T00:00:00Z', reason: 'Outage' }),
    cases: () => [
      ['unknown-id', 'an unknown fund', { fundId: UNKNOWN }, 'FUND.NOT_FOUND'],
      ['oversized', 'an oversized fund id', { fundId: LONG_ID }, 'INPUT.INVALID'],
      [
        'oversized',
        'an oversized reason',
        { fundId: V.fundId, votingClosesAt: '2099-01-01T00:00:00Z', reason: LONG },
        'FUND.REASON_REQUIRED',
      ],
      ['format', 'an earlier close', {}, 'FUND.INVALID_SCHEDULE'],
      ['format', 'a time that is no time', { votingClosesAt: 'next Tuesday' }, WRONG_TYPE],
      ['format', 'a day past the month’s end', { votingClosesAt: '2099-02-30T00:00:00Z' }, WRONG_TYPE],
      ['format', 'the wrong phase', { fundId: draft.fundId, votingClosesAt: '2099-01-01T00:00:00Z' }, 'FUND.WRONG_PHASE'],
    ],
  },
  publishResults: { ...fundOnly(() => V), as: 'councillor' },
  startDelivery: fundOnly(() => V),
  closeFund: fundOnly(() => V),
  submitProposal: {
    as: 'author',
    vars: () => ({
      input: {
        fundId: P.fundId,
        potId: P.potId,
        title: 'Trees',
        summary: 'Trees',
        description: 'More trees.',
        category: 'parks',
        estimatedCost: '100000',
      },
    }),
    cases: () => [
      ['unknown-id', 'an unknown fund', { input: { fundId: UNKNOWN } }, /^(FUND\.NOT_FOUND|PROPOSAL\.SUBMISSIONS_CLOSED)$/],
      ['unknown-id', 'an unknown pot', { input: { potId: UNKNOWN } }, 'PROPOSAL.UNKNOWN_POT'],
      ['unknown-id', 'an existing proposal id', { input: { proposalId: P.proposals[0] } }, 'PROPOSAL.ALREADY_EXISTS'],
      ['oversized', 'an oversized proposal id', { input: { proposalId: LONG_ID } }, 'INPUT.INVALID'],
      ['format', 'a path as proposal id', { input: { proposalId: PATH_ID } }, 'INPUT.INVALID'],
      ['oversized', 'an oversized pot id', { input: { potId: LONG_ID } }, 'INPUT.INVALID'],
      ...oversized(['title', 'summary', 'description', 'category'], 'PROPOSAL.INVALID'),
      ['format', 'a blank title', { input: { title: '  ' } }, 'PROPOSAL.INVALID'],
      ['oversized', 'an oversized place', { input: { location: { description: LONG } } }, 'PROPOSAL.INVALID'],
      [
        'range',
        'a latitude off the globe',
        { input: { location: { description: 'Park', latitude: 1000, longitude: 0 } } },
        'PROPOSAL.INVALID',
      ],
      ['amount', 'a cost of nothing', { input: { estimatedCost: '0' } }, 'PROPOSAL.INVALID'],
      ['amount', 'an absurd cost', { input: { estimatedCost: ABSURD } }, 'INPUT.INVALID'],
      ['amount', 'a cost over the pot', { input: { estimatedCost: '5000001' } }, 'PROPOSAL.OVER_POT_BUDGET'],
      ...pence((estimatedCost) => ({ input: { estimatedCost } })),
      ['format', 'a fund not taking proposals', { input: { fundId: V.fundId, potId: V.potId } }, 'PROPOSAL.SUBMISSIONS_CLOSED'],
    ],
  },
  editProposal: {
    as: 'author',
    vars: () => ({ proposalId: P.proposals[0], changes: { title: 'New title' } }),
    cases: () => [
      ['unknown-id', 'an unknown proposal', { proposalId: UNKNOWN }, 'PROPOSAL.NOT_FOUND'],
      ['oversized', 'an oversized proposal id', { proposalId: LONG_ID }, 'INPUT.INVALID'],
      ['oversized', 'an oversized title', { changes: { title: LONG } }, 'PROPOSAL.INVALID'],
      ['oversized', 'an oversized description', { changes: { description: LONG } }, 'PROPOSAL.INVALID'],
      ['format', 'no change at all', { changes: { title: undefined } }, 'PROPOSAL.INVALID'],
      ['amount', 'an absurd cost', { changes: { estimatedCost: ABSURD } }, 'INPUT.INVALID'],
      ['amount', 'a cost over the pot', { changes: { estimatedCost: '5000001' } }, 'PROPOSAL.OVER_POT_BUDGET'],
      ['amount', 'a cost of nothing', { changes: { estimatedCost: '0' } }, 'PROPOSAL.INVALID'],
      ...pence((estimatedCost) => ({ changes: { estimatedCost } })),
      [
        'range',
        'a longitude off the globe',
        { changes: { location: { description: 'Park', latitude: 51.5, longitude: -720 } } },
        'PROPOSAL.INVALID',
      ],
      ['range', 'a stale revision', { expectedRevision: 7 }, 'EDIT.STALE_REVISION'],
      ['range', 'a negative revision', { expectedRevision: -1 }, 'EDIT.STALE_REVISION'],
      ['format', 'a proposal in review', { proposalId: R.proposals[0] }, 'PROPOSAL.LOCKED'],
    ],
  },
  withdrawProposal: {
    as: 'author',
    vars: () => ({ proposalId: R.proposals[0] }),
    cases: () => [
      ['unknown-id', 'an unknown proposal', { proposalId: UNKNOWN }, 'PROPOSAL.NOT_FOUND'],
      ['oversized', 'an oversized proposal id', { proposalId: LONG_ID }, 'INPUT.INVALID'],
      ['format', 'a proposal in review', {}, 'PROPOSAL.LOCKED'],
    ],
  },
  acceptProposal: {
    as: 'reviewer',
    vars: () => ({ proposalId: R.proposals[0], officialCost: '1000000' }),
    cases: () => [
      ['unknown-id', 'an unknown proposal', { proposalId: UNKNOWN }, 'PROPOSAL.NOT_FOUND'],
      ['oversized', 'an oversized proposal id', { proposalId: LONG_ID }, 'INPUT.INVALID'],
      ['amount', 'an absurd cost', { officialCost: ABSURD }, 'INPUT.INVALID'],
      ['amount', 'a cost over the pot', { officialCost: '5000001' }, 'PROPOSAL.OVER_POT_BUDGET'],
      ['amount', 'a cost of nothing', { officialCost: '0' }, 'PROPOSAL.INVALID'],
      ...pence((officialCost) => ({ officialCost })),
      ['format', 'a proposal outside review', { proposalId: P.proposals[0] }, 'PROPOSAL.REVIEW_CLOSED'],
    ],
  },
  rejectProposal: {
    as: 'reviewer',
    vars: () => ({ proposalId: R.proposals[0], reason: 'Not feasible.' }),
    cases: () => [
      ['unknown-id', 'an unknown proposal', { proposalId: UNKNOWN }, 'PROPOSAL.NOT_FOUND'],
      ['oversized', 'an oversized reason', { reason: LONG }, 'PROPOSAL.INVALID'],
      ['format', 'a blank reason', { reason: '' }, 'PROPOSAL.INVALID'],
    ],
  },
  mergeProposals: {
    as: 'reviewer',
    vars: () => ({ survivorId: R.proposals[0], duplicateIds: [R.proposals[1]] }),
    cases: () => [
      ['unknown-id', 'an unknown survivor', { survivorId: UNKNOWN }, /^PROPOSAL\.(NOT_FOUND|MERGE_INVALID)$/],
      ['unknown-id', 'an unknown duplicate', { duplicateIds: [UNKNOWN] }, 'PROPOSAL.NOT_FOUND'],
      ['unknown-id', 'a known duplicate, then an unknown one', { duplicateIds: [R.proposals[1], UNKNOWN] }, 'PROPOSAL.NOT_FOUND'],
      ['format', 'the same duplicate twice', { duplicateIds: [R.proposals[1], R.proposals[1]] }, 'INPUT.INVALID'],
      ['format', 'the survivor as its own duplicate', { duplicateIds: [R.proposals[0]] }, 'PROPOSAL.MERGE_INVALID'],
      ['format', 'a duplicate of another fund', { duplicateIds: [R.proposals[1], P.proposals[1]] }, 'PROPOSAL.MERGE_INVALID'],
      ['range', 'no duplicates', { duplicateIds: [] }, 'INPUT.INVALID'],
      ['oversized', 'too many duplicates', { duplicateIds: Array.from({ length: 51 }, (_, i) => `p-${i}`) }, 'INPUT.INVALID'],
      ['oversized', 'an oversized duplicate id', { duplicateIds: [LONG_ID] }, 'INPUT.INVALID'],
    ],
  },
  castBallot: {
    as: 'resident',
    vars: () => ({ fundId: V.fundId, potId: V.potId, content: { proposalIds: [V.proposals[0]] } }),
    cases: () => [
      ['unknown-id', 'an unknown fund', { fundId: UNKNOWN }, 'NOT_FOUND'],
      ['unknown-id', 'an unknown pot', { potId: UNKNOWN }, 'NOT_FOUND'],
      ['unknown-id', 'an unknown proposal', { content: { proposalIds: [UNKNOWN] } }, 'PROPOSAL.NOT_ACCEPTED'],
      ['oversized', 'an oversized proposal id', { content: { proposalIds: [LONG_ID] } }, /^(PROPOSAL\.NOT_ACCEPTED|INPUT\.INVALID)$/],
      [
        'oversized',
        'thousands of picks',
        { content: { proposalIds: Array.from({ length: 5000 }, (_, i) => `p-${i}`) } },
        /^(BALLOT\.TOO_MANY_PICKS|PROPOSAL\.NOT_ACCEPTED|INPUT\.INVALID)$/,
      ],
      ['format', 'the same pick twice', { content: { proposalIds: [V.proposals[0], V.proposals[0]] } }, 'BALLOT.DUPLICATE_PICK'],
      ['range', 'too many picks', { content: { proposalIds: V.proposals } }, 'BALLOT.TOO_MANY_PICKS'],
      ['range', 'points on an approval pot', { content: { points: [{ proposalId: V.proposals[0], points: -3 }] } }, 'INPUT.INVALID'],
      ['format', 'no marks at all', { content: { proposalIds: undefined } }, 'INPUT.INVALID'],
      ...(
        [
          ['negative points', -3, 'BALLOT.INVALID_POINTS'],
          ['no points', 0, 'BALLOT.INVALID_POINTS'],
          ['more points than the pot gives', 11, 'BALLOT.TOO_MANY_POINTS'],
          ['absurd points', INT_MAX, 'BALLOT.TOO_MANY_POINTS'],
        ] as const
      ).map(([label, points, code]): Case => [
        'range',
        label,
        { fundId: Vc.fundId, potId: Vc.potId, content: spread(Vc.proposals[0], points) },
        code,
      ]),
      [
        'unknown-id',
        'points for an unknown proposal',
        { fundId: Vc.fundId, potId: Vc.potId, content: spread(UNKNOWN, 1) },
        'PROPOSAL.NOT_ACCEPTED',
      ],
    ],
  },
  replaceBallot: {
    as: 'voter',
    vars: () => ({ fundId: V.fundId, potId: V.potId, content: { proposalIds: [V.proposals[1]] } }),
    cases: () => [
      ['unknown-id', 'an unknown pot', { potId: UNKNOWN }, 'NOT_FOUND'],
      ['unknown-id', 'an unknown proposal', { content: { proposalIds: [UNKNOWN] } }, 'PROPOSAL.NOT_ACCEPTED'],
      ['oversized', 'an oversized fund id', { fundId: LONG_ID }, 'NOT_FOUND'],
      ['range', 'no picks', { content: { proposalIds: [] } }, 'BALLOT.TOO_FEW_PICKS'],
    ],
  },
  withdrawBallot: {
    as: 'resident',
    vars: () => ({ fundId: V.fundId, potId: V.potId }),
    cases: () => [
      ['unknown-id', 'an unknown pot', { potId: UNKNOWN }, /^(FUND\.POT_NOT_FOUND|NOT_FOUND)$/],
      ['unknown-id', 'an unknown fund', { fundId: UNKNOWN }, /^(FUND\.NOT_FOUND|NOT_FOUND)$/],
      ['oversized', 'an oversized pot id', { potId: LONG_ID }, 'INPUT.INVALID'],
      ['format', 'no ballot to withdraw', {}, 'BALLOT.NOT_FOUND'],
    ],
  },
  voidBallot: {
    as: 'reviewer',
    vars: () => ({ fundId: V.fundId, potId: V.potId, pseudonym: 'f'.repeat(64), reason: 'Fraud.' }),
    cases: () => [
      ['unknown-id', 'an unknown pseudonym', {}, 'BALLOT.NOT_FOUND'],
      ['unknown-id', 'an unknown fund', { fundId: UNKNOWN }, /^(FUND\.NOT_FOUND|NOT_FOUND)$/],
      ['oversized', 'an oversized pseudonym', { pseudonym: LONG }, 'COMMAND.INVALID'],
      ['format', 'a pseudonym that is a reference', { pseudonym: A }, 'COMMAND.INVALID'],
      ['oversized', 'an oversized reason', { reason: LONG }, /^(COMMAND\.INVALID|BALLOT\.NOT_FOUND)$/],
      ['format', 'both a reference and a pseudonym', { reference: A }, 'INPUT.INVALID'],
      ['oversized', 'an oversized reference', { pseudonym: undefined, reference: LONG }, 'RESIDENT.INVALID_REFERENCE'],
      ['unknown-id', 'a reference with no ballot', { pseudonym: undefined, reference: 'TH-999999' }, 'BALLOT.NOT_FOUND'],
      ['unknown-id', 'a receipt no ballot has', { pseudonym: undefined, receipt: 'ab'.repeat(32) }, 'BALLOT.NOT_FOUND'],
      ['format', 'a receipt that is not one', { pseudonym: undefined, receipt: 'not a receipt' }, 'INPUT.INVALID'],
      ['oversized', 'an oversized receipt', { pseudonym: undefined, receipt: LONG }, 'INPUT.INVALID'],
      ['format', 'both a receipt and a pseudonym', { receipt: 'ab'.repeat(32) }, 'INPUT.INVALID'],
    ],
  },
  enterPaperBatch: {
    as: 'reviewer',
    vars: () => ({
      input: {
        fundId: V.fundId,
        potId: V.potId,
        officer: 'officer-1',
        location: 'Idea Store Bow',
        collectedAt: new Date(Date.now() - 60_000).toISOString(),
        scanReference: 'SCAN-9',
        entries: [{ reference: B, content: { proposalIds: [V.proposals[0]] } }],
      },
    }),
    cases: () => [
      ['unknown-id', 'an unknown pot', { input: { potId: UNKNOWN } }, 'NOT_FOUND'],
      ['unknown-id', 'an existing batch id', { input: { batchId } }, 'PAPER_BATCH.ALREADY_EXISTS'],
      ['oversized', 'an oversized batch id', { input: { batchId: LONG_ID } }, 'INPUT.INVALID'],
      ['format', 'a path as batch id', { input: { batchId: PATH_ID } }, 'INPUT.INVALID'],
      ...oversized(['officer', 'location', 'scanReference'], 'PAPER_BATCH.INVALID'),
      [
        'range',
        'collected in the future',
        { input: { collectedAt: new Date(Date.now() + 3600_000).toISOString() } },
        'PAPER_BATCH.INVALID',
      ],
      ['range', 'collected before voting opened', { input: { collectedAt: '2000-01-01T00:00:00Z' } }, 'PAPER_BATCH.INVALID'],
      ['range', 'no entries', { input: { entries: [] } }, 'INPUT.INVALID'],
      [
        'oversized',
        'too many entries',
        { input: { entries: Array.from({ length: 501 }, () => ({ reference: B, content: { proposalIds: [] } })) } },
        'INPUT.INVALID',
      ],
      ['oversized', 'an oversized reference', { input: { entries: [{ reference: LONG, content: { proposalIds: [] } }] } }, 'INPUT.INVALID'],
      [
        'format',
        'points on an approval pot',
        { input: { entries: [{ reference: B, content: { points: [{ proposalId: V.proposals[0], points: 1 }] } }] } },
        'INPUT.INVALID',
      ],
      ['range', 'a negative count of sheets', { input: { sheetsCounted: -1 } }, 'PAPER_BATCH.INVALID'],
      ['range', 'an absurd count of sheets', { input: { sheetsCounted: INT_MAX } }, 'PAPER_BATCH.INVALID'],
      [
        'format',
        'an entry by ids and by numbers',
        { input: { entries: [{ reference: B, numbers: [1], content: { proposalIds: [] } }] } },
        'INPUT.INVALID',
      ],
      ['format', 'an entry without marks', { input: { entries: [{ reference: B }] } }, 'INPUT.INVALID'],
      [
        'oversized',
        'too many numbers on a form',
        { input: { entries: [{ reference: B, numbers: Array.from({ length: 201 }, (_, i) => i + 1) }] } },
        'INPUT.INVALID',
      ],
    ],
  },
  correctPaperBatch: {
    as: 'reviewer',
    vars: () => ({ batchId, corrections: { location: 'Idea Store Bow' }, reason: 'Wrong branch.' }),
    cases: () => [
      ['unknown-id', 'an unknown batch', { batchId: UNKNOWN }, 'NOT_FOUND'],
      ['oversized', 'an oversized batch id', { batchId: LONG_ID }, 'INPUT.INVALID'],
      ['format', 'a path as batch id', { batchId: PATH_ID }, 'INPUT.INVALID'],
      ['oversized', 'an oversized officer', { corrections: { officer: LONG } }, 'PAPER_BATCH.INVALID'],
      ['oversized', 'an oversized reason', { reason: LONG }, 'PAPER_BATCH.INVALID'],
      ['format', 'nothing to correct', { corrections: { location: undefined } }, 'PAPER_BATCH.INVALID'],
      ['range', 'collected in the future', { corrections: { collectedAt: '2100-01-01T00:00:00Z' } }, 'PAPER_BATCH.INVALID'],
      ['range', 'a stale revision', { expectedRevision: 5 }, 'EDIT.STALE_REVISION'],
      ['range', 'a negative count of sheets', { corrections: { sheetsCounted: -1 } }, 'PAPER_BATCH.INVALID'],
    ],
  },
  correctPaperBallot: {
    as: 'reviewer',
    vars: () => ({ batchId, entryNo: 1, reference: C, content: { proposalIds: [V.proposals[1]] }, reason: 'Mistyped.' }),
    cases: () => [
      ['unknown-id', 'an unknown batch', { batchId: UNKNOWN }, 'NOT_FOUND'],
      ['unknown-id', 'a voter not on the entry', { reference: A }, 'BALLOT.NOT_FROM_BATCH'],
      ['unknown-id', 'an unknown proposal', { content: { proposalIds: [UNKNOWN] } }, 'PROPOSAL.NOT_ACCEPTED'],
      ['oversized', 'an oversized batch id', { batchId: LONG_ID }, 'INPUT.INVALID'],
      ['oversized', 'an oversized reference', { reference: LONG }, 'INPUT.INVALID'],
      ['oversized', 'an oversized reason', { reason: LONG }, 'COMMAND.INVALID'],
      ['range', 'entry 0', { entryNo: 0 }, 'INPUT.INVALID'],
      ['range', 'a negative entry', { entryNo: -1 }, 'INPUT.INVALID'],
      ['range', 'an absurd entry', { entryNo: INT_MAX }, 'INPUT.INVALID'],
    ],
  },
  importRegister: {
    as: 'administrator',
    vars: () => ({ csv: 'reference,ward,date_of_birth\nTH-999999,Mile End,1980-01-01' }),
    cases: () => [
      [
        'oversized',
        'a register over the size limit',
        { csv: `reference,ward,date_of_birth\n${'TH-1,Mile End,1980-01-01\n'.repeat(40_000)}` },
        'INPUT.INVALID',
      ],
      ['format', 'no header', { csv: 'TH-999999,Mile End,1980-01-01' }, 'REGISTER.INVALID_CSV'],
      ['format', 'an empty file', { csv: '' }, 'REGISTER.INVALID_CSV'],
    ],
  },
  registerResident: {
    as: 'administrator',
    vars: () => ({ input: { reference: 'TH-999998', dateOfBirth: '1980-01-01', ward: 'Mile End' } }),
    cases: () => [
      ['unknown-id', 'a resident already registered', { input: { reference: A } }, 'RESIDENT.ALREADY_REGISTERED', WORLD],
      ['oversized', 'an oversized reference', { input: { reference: LONG } }, 'RESIDENT.INVALID_REFERENCE'],
      ['oversized', 'an oversized ward', { input: { ward: LONG } }, 'RESIDENT.INVALID_WARD'],
      ...oversized(['name', 'address', 'email'], 'RESIDENT.INVALID_PERSONAL_DATA'),
      ['format', 'a date of birth that is no date', { input: { dateOfBirth: '1980-02-30' } }, 'RESIDENT.INVALID_DATE_OF_BIRTH'],
      ['range', 'a date of birth in the future', { input: { dateOfBirth: '2999-01-01' } }, 'RESIDENT.INVALID_DATE_OF_BIRTH'],
      ['range', 'a date of birth in the middle ages', { input: { dateOfBirth: '1066-10-14' } }, 'RESIDENT.INVALID_DATE_OF_BIRTH'],
    ],
  },
  verifyResident: {
    as: 'administrator',
    vars: () => ({ reference: A }),
    cases: () => [
      ['unknown-id', 'an unknown resident', { reference: 'TH-777777' }, 'RESIDENT.NOT_FOUND'],
      ['oversized', 'an oversized reference', { reference: LONG }, 'RESIDENT.INVALID_REFERENCE'],
      ['format', 'a resident already verified', {}, 'RESIDENT.ALREADY_VERIFIED', WORLD],
    ],
  },
  assignWard: {
    as: 'administrator',
    vars: () => ({ reference: A, ward: 'Bow East' }),
    cases: () => [
      ['unknown-id', 'an unknown resident', { reference: 'TH-777777' }, 'RESIDENT.NOT_FOUND'],
      ['oversized', 'an oversized reference', { reference: LONG }, 'RESIDENT.INVALID_REFERENCE'],
      ['oversized', 'an oversized ward', { ward: LONG }, 'RESIDENT.INVALID_WARD'],
      ['format', 'a blank ward', { ward: ' ' }, 'RESIDENT.INVALID_WARD'],
    ],
  },
  eraseResident: {
    as: 'administrator',
    vars: () => ({ reference: A, reason: 'Case 1234' }),
    cases: () => [
      ['unknown-id', 'an unknown resident', { reference: 'TH-777777' }, 'RESIDENT.NOT_FOUND'],
      ['oversized', 'an oversized reference', { reference: LONG }, 'RESIDENT.INVALID_REFERENCE'],
      ['oversized', 'an oversized reason', { reason: LONG }, /^(RESIDENT|COMMAND)\.INVALID/],
      ['format', 'a blank reason', { reason: '' }, /^(RESIDENT|COMMAND)\.INVALID/],
    ],
  },
  computeAllocation: {
    as: 'administrator',
    vars: () => ({ fundId: V.fundId, potId: V.potId }),
    cases: () => [
      ['unknown-id', 'an unknown pot', { fundId: L1.fundId, potId: UNKNOWN }, /^(FUND\.POT_NOT_FOUND|NOT_FOUND)$/],
      ['unknown-id', 'an unknown fund', { fundId: UNKNOWN }, /^(FUND\.NOT_FOUND|NOT_FOUND)$/],
      ['oversized', 'an oversized fund id', { fundId: LONG_ID }, 'INPUT.INVALID'],
      ['format', 'a pot of another fund', { fundId: L1.fundId, potId: L2.potId }, /^(FUND\.POT_NOT_FOUND|NOT_FOUND)$/],
      ['format', 'voting still open', {}, 'ALLOCATION.VOTING_NOT_CLOSED'],
    ],
  },
  overrideAllocationLine: {
    as: 'councillor',
    vars: () => ({ fundId: L1.fundId, potId: L1.potId, proposalId: L1.proposals[0], funded: false, reason: 'Site unavailable.' }),
    cases: () => [
      ['unknown-id', 'an unknown proposal', { proposalId: UNKNOWN }, 'PROPOSAL.NOT_ACCEPTED'],
      ['unknown-id', 'an unknown pot', { potId: UNKNOWN }, /^(FUND\.POT_NOT_FOUND|ALLOCATION\.NOT_RECORDED)$/],
      ['oversized', 'an oversized reason', { reason: LONG }, 'ALLOCATION.INVALID'],
      ['format', 'a blank reason', { reason: '  ' }, 'ALLOCATION.INVALID'],
      [
        'format',
        'funding past the budget',
        { proposalId: L1.proposals[1], funded: true, fundId: L2.fundId, potId: L2.potId },
        /^ALLOCATION\./,
      ],
    ],
  },
  ratifyAllocation: potOnly(() => ({ fundId: V.fundId, potId: V.potId }), 'ALLOCATION.VOTING_NOT_CLOSED'),
  publishAllocation: potOnly(() => ({}), 'ALLOCATION.NOT_RATIFIED'),
  reportMilestone: {
    as: 'reviewer',
    vars: () => ({ fundId: L2.fundId, proposalId: L2.proposals[0], title: 'Contractor appointed', status: 'done' }),
    cases: () => [
      ['unknown-id', 'an unknown proposal', { proposalId: UNKNOWN }, 'DELIVERY.NOT_FUNDED'],
      ['unknown-id', 'an unknown fund', { fundId: UNKNOWN }, /^(FUND\.NOT_FOUND|DELIVERY\.)/],
      ['oversized', 'an oversized title', { title: LONG }, 'DELIVERY.INVALID'],
      ['oversized', 'an oversized note', { note: LONG }, 'DELIVERY.INVALID'],
      ['oversized', 'an oversized milestone id', { milestoneId: LONG_ID }, 'INPUT.INVALID'],
      ['format', 'a status that is none', { status: 'finished-ish' }, 'DELIVERY.INVALID'],
      ['format', 'a fund not in delivery', { fundId: L1.fundId, proposalId: L1.proposals[0] }, 'DELIVERY.WRONG_PHASE'],
    ],
  },
  reportSpend: {
    as: 'reviewer',
    vars: () => ({ fundId: L2.fundId, proposalId: L2.proposals[0], amount: '125000', description: 'Deposit', spentOn: '2026-03-01' }),
    cases: () => [
      ['unknown-id', 'an unknown proposal', { proposalId: UNKNOWN }, 'DELIVERY.NOT_FUNDED'],
      ['oversized', 'an oversized description', { description: LONG }, 'DELIVERY.INVALID'],
      ['amount', 'nothing spent', { amount: '0' }, 'DELIVERY.INVALID'],
      ['amount', 'an absurd amount', { amount: ABSURD }, 'INPUT.INVALID'],
      ...pence((amount) => ({ amount })),
      ['format', 'a day that is no day', { spentOn: '2026-02-30' }, 'DELIVERY.INVALID'],
      ['oversized', 'an oversized day', { spentOn: LONG }, 'DELIVERY.INVALID'],
      ['range', 'a day in the future', { spentOn: '2999-01-01' }, 'DELIVERY.INVALID'],
      ['amount', 'spend past the official cost with no reason', { amount: '100000000' }, 'DELIVERY.OVERSPEND_REASON_REQUIRED'],
      [
        'oversized',
        'an oversized reason for spending past the cost',
        { amount: '100000000', overspendReason: LONG },
        'DELIVERY.OVERSPEND_REASON_REQUIRED',
      ],
    ],
  },
};

/** Which categories a mutation's cases must cover, from the types of its arguments. */
function requiredCategories(name: string): Category[] {
  const seen = new Set<string>();
  const walk = (type: GraphQLInputType) => {
    const named = getNamedType(type);
    if (seen.has(named.name)) return;
    seen.add(named.name);
    if (isInputObjectType(named)) for (const f of Object.values(named.getFields())) walk(f.type);
  };
  for (const arg of MUTATIONS[name].args) if (arg.name !== 'commandId') walk(arg.type);
  const needed: Category[] = ['type'];
  if (seen.has('ID')) needed.push('unknown-id');
  if (seen.has('String') || seen.has('ID')) needed.push('oversized');
  if (seen.has('Pence')) needed.push('amount');
  if (seen.has('Int')) needed.push('range');
  return needed;
}

/** A value of the wrong type for an argument or field. */
function wrongValue(type: GraphQLInputType): unknown {
  const named: GraphQLNamedType = getNamedType(type);
  if (isEnumType(named)) return 'no_such_value';
  if (isInputObjectType(named)) return 'not an object';
  const wrong: Record<string, unknown> = {
    String: 42,
    ID: true,
    Int: 'many',
    Float: 'far',
    Boolean: 'yes',
    Pence: -1,
    DateTime: 'yesterday',
  };
  if (!(named.name in wrong)) throw new Error(`No wrong value for the scalar ${named.name}: add one.`);
  return wrong[named.name];
}

const plain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Wrong types for every argument, and for every field of every input object the base sends
 * (in a list, of its first item), however deep.
 */
function wrongTypeCases(name: string, base: Vars): Case[] {
  const cases: Case[] = [];
  const walk = (type: GraphQLInputType, value: unknown, label: string, wrap: (v: unknown) => Vars) => {
    cases.push(['type', `${label} of the wrong type`, wrap(wrongValue(type)), WRONG_TYPE]);
    const item = Array.isArray(value) ? value[0] : value;
    const named = getNamedType(type);
    if (!isInputObjectType(named) || !plain(item)) return;
    const within = (v: Vars) => (Array.isArray(value) ? [merge(item, v)] : v);
    for (const field of Object.values(named.getFields()))
      walk(field.type, item[field.name], `${label}.${field.name}`, (v) => wrap(within({ [field.name]: v })));
  };
  for (const arg of MUTATIONS[name].args) walk(arg.type, base[arg.name], arg.name, (v) => ({ [arg.name]: v }));
  const required = MUTATIONS[name].args.find((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  if (required) cases.push(['type', `${required.name} missing`, { [required.name]: null }, WRONG_TYPE]);
  return cases;
}

/** The operation of a mutation with every argument a variable of the same name. */
function operation(name: string): string {
  const args = MUTATIONS[name].args;
  const declared = args.map((a) => `$${a.name}: ${a.defaultValue !== undefined && isNonNullType(a.type) ? a.type.ofType : a.type}`);
  const passed = args.map((a) => `${a.name}: $${a.name}`);
  // A scalar answer (signOut, revokePollCard: Boolean) takes no selection.
  const selection = isLeafType(getNamedType(MUTATIONS[name].type)) ? '' : ' { __typename }';
  return args.length
    ? `mutation(${declared.join(', ')}) { ${name}(${passed.join(', ')})${selection} }`
    : `mutation { ${name}${selection} }`;
}

/** `over` laid on `base`: objects merge field by field, anything else replaces; undefined removes. */
function merge(base: unknown, over: unknown): unknown {
  if (!plain(base) || !plain(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete out[k];
    else out[k] = merge(base[k], v);
  }
  return out;
}

type Api = Awaited<ReturnType<typeof startApi>>;
/** What must not change: the head of the history, the funds and the proposals as read models hold them. */
let admin: string;
const snapshot = async (server: Api, token: string) =>
  JSON.stringify(
    ok(
      await server.gql(
        `{ version { headPosition } funds { id phase revision position pots { id budget ballot { kind } } }
           proposals(first: 100) { totalCount edges { node { id status revision position estimatedCost } } } }`,
        {},
        token,
      ),
    ),
  );

const headPosition = async (server: Api) => ok(await server.gql(`{ version { headPosition } }`)).version.headPosition as string;

/** Any code a client may be given: the domain's, the store's, the API's, or Apollo's for a malformed request. */
const STABLE = /^([A-Z][A-Z_]*\.[A-Z][A-Z_]*|NOT_FOUND|BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED)$/;

/**
 * Sends every bad input of a mutation to a server, one by one; says what went wrong, a line
 * each. With `expectCodes` (the server holds the suite's world), each must get its own code;
 * without (another server), any stable code will do, and cases bad only in that world are left out.
 */
async function badInputProblems(server: Api, name: string, as: Partial<Record<Role, string>>, expectCodes: boolean): Promise<string[]> {
  const spec = SPECS[name];
  const base = spec.vars();
  const problems: string[] = [];
  for (const [category, label, over, expected, world] of [...wrongTypeCases(name, base), ...spec.cases()]) {
    if (world && !expectCodes) continue;
    const before = await snapshot(server, as.administrator!);
    const { data, errors } = await server.gql(operation(name), merge(base, over) as Vars, as[spec.as]);
    const after = await snapshot(server, as.administrator!);
    const error = errors?.[0];
    const what = `${category}: ${label}`;
    if (!error) {
      problems.push(`${what}: accepted`);
      continue;
    }
    const code = error.extensions?.code;
    const right = !expectCodes ? STABLE.test(code) : typeof expected === 'string' ? code === expected : expected.test(code);
    if (!right) problems.push(`${what}: ${code} (${error.message})`);
    if (data?.[name]) problems.push(`${what}: answered with data`);
    // A refusal carries its code and, for a form, the field it is about and its message's values: nothing else.
    const { code: _code, field, params, ...extra } = (error.extensions ?? {}) as Record<string, unknown>;
    if (Object.keys(extra).length > 0) problems.push(`${what}: extensions ${Object.keys(error.extensions).join()}`);
    if (field !== undefined && !(typeof field === 'string' && /^[A-Za-z][A-Za-z0-9.]{0,63}$/.test(field)))
      problems.push(`${what}: field ${String(field)}`);
    const values = Object.values((params ?? {}) as Record<string, unknown>);
    if (values.some((v) => !(typeof v === 'number' || (typeof v === 'string' && !LEAK.test(v)))))
      problems.push(`${what}: params ${JSON.stringify(params)}`);
    if (LEAK.test(error.message) || error.message.length > 500) problems.push(`${what}: leaks ${error.message.slice(0, 200)}`);
    if (after !== before) problems.push(`${what}: changed the history or the read models`);
  }
  return problems;
}

const tokens: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  api = await startApi({ RATE_LIMIT_PER_MINUTE: '1000000' });
  // Two funds whose voting is closed early once their ballot is in (no wait on a deadline,
  // which a loaded machine could miss).
  const closingSoon = async (voter: string) => {
    const f = await votingFund(api, [voter]);
    const content = { proposalIds: [f.proposals[0]] };
    const cast = `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position } }`;
    ok(await api.gql(cast, { f: f.fundId, p: f.potId, c: content }, f.tokens[voter]));
    return f;
  };
  L1 = await closingSoon(D);
  L2 = await closingSoon(E);
  V = await votingFund(api, [A, B, C]);
  Vc = await votingFund(api, [B], { ballot: { kind: 'cumulative', points: 10 } });
  P = await votingFund(api, [A], { until: 'proposals_open' });
  R = await votingFund(api, [A], { until: 'review' });
  draft = await votingFund(api, [], { until: 'draft' });
  admin = V.admin;
  auditor = await api.signIn('auditor', 'auditor-1');
  Object.assign(tokens, {
    administrator: V.admin,
    reviewer: V.reviewer,
    councillor: V.councillor,
    resident: V.tokens[B],
    voter: V.tokens[A],
    author: P.tokens[A],
    anonymous: undefined,
  });
  ok(
    await api.gql(
      `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position } }`,
      { f: V.fundId, p: V.potId, c: { proposalIds: [V.proposals[0]] } },
      V.tokens[A],
    ),
  );
  const paper = {
    fundId: V.fundId,
    potId: V.potId,
    officer: 'officer-1',
    location: 'Idea Store Whitechapel',
    collectedAt: new Date().toISOString(),
    scanReference: 'SCAN-1',
    entries: [{ reference: C, content: { proposalIds: [V.proposals[0]] } }],
  };
  batchId = ok(await api.gql(`mutation($i: PaperBatchInput!) { enterPaperBatch(input: $i) { batchId } }`, { i: paper }, V.reviewer))
    .enterPaperBatch.batchId;
  for (const f of [L1, L2]) {
    ok(
      await api.gql(
        `mutation($id: ID!) { closeVotingEarly(fundId: $id, reason: "The test's ballots are in") { position } }`,
        { id: f.fundId },
        f.admin,
      ),
    );
    ok(
      await api.gql(
        `mutation($f: ID!, $p: ID!) { computeAllocation(fundId: $f, potId: $p) { status } }`,
        { f: f.fundId, p: f.potId },
        f.admin,
      ),
    );
  }
  const pot = { f: L2.fundId, p: L2.potId };
  ok(await api.gql(`mutation($f: ID!, $p: ID!) { ratifyAllocation(fundId: $f, potId: $p) { status } }`, pot, L2.councillor));
  ok(await api.gql(`mutation($f: ID!, $p: ID!) { publishAllocation(fundId: $f, potId: $p) { status } }`, pot, L2.councillor));
  ok(await api.gql(`mutation($id: ID!) { publishResults(fundId: $id) { position } }`, { id: L2.fundId }, L2.councillor));
  ok(await api.gql(`mutation($id: ID!) { startDelivery(fundId: $id) { position } }`, { id: L2.fundId }, L2.admin));
});

afterAll(() => api.stop());

describe('bad input for every mutation', () => {
  let auditedBefore: number;
  /** The events of the history, but the audit trail's own checkpoints (written after others, in the background). */
  const auditCount = async () => {
    let count = 0;
    let after: string | null = null;
    do {
      const query = `query($a: String) { auditLog(after: $a, first: 500) { endCursor events { streamName } } }`;
      const page: any = ok(await api.gql(query, { a: after }, auditor));
      count += page.auditLog.events.filter((e: { streamName: string }) => e.streamName !== 'audit-checkpoints').length;
      after = page.auditLog.endCursor;
    } while (after);
    return count;
  };
  beforeAll(async () => {
    // Let the checkpointer sign what the set-up wrote: nothing may move the head during the cases.
    for (let head = '', now = await headPosition(api); now !== head; now = await headPosition(api)) {
      head = now;
      await new Promise((r) => setTimeout(r, 500));
    }
    auditedBefore = await auditCount();
  });

  it('has cases for every mutation of the schema, of every kind its arguments call for', () => {
    expect(Object.keys(SPECS).sort()).toEqual(Object.keys(MUTATIONS).sort());
    const missing = Object.keys(MUTATIONS).flatMap((name) => {
      const covered = new Set(SPECS[name] ? [...SPECS[name].cases().map((c) => c[0]), 'type'] : []);
      return requiredCategories(name)
        .filter((c) => !covered.has(c))
        .map((c) => `${name}: ${c}`);
    });
    expect(missing).toEqual([]);
  });

  it.each(Object.keys(MUTATIONS).sort())('%s refuses bad input and changes nothing', async (name) => {
    expect(SPECS[name]).toBeDefined();
    expect(await badInputProblems(api, name, tokens, true)).toEqual([]);
  });

  it('wrote nothing to the audit log', async () => {
    expect(await auditCount()).toBe(auditedBefore);
  });
});

describe('the limits of a request', () => {
  const head = () => headPosition(api);
  const refusedBeforeAnyResolver = async (query: string, code: RegExp, message: RegExp) => {
    const before = await head();
    const { data, errors } = await api.gql(query, {}, admin);
    expect(data?.createFund ?? data?.funds ?? null).toBeNull();
    expect(errors?.[0].extensions.code).toMatch(code);
    expect(errors?.[0].message).toMatch(message);
    expect(await head()).toBe(before);
  };
  const fundInput = `{ name: "F", description: "D", schedule: { proposalsOpenAt: "2030-01-01T00:00:00Z", reviewStartsAt: "2030-02-01T00:00:00Z", votingOpensAt: "2030-03-01T00:00:00Z", votingClosesAt: "2030-04-01T00:00:00Z" } }`;

  it('refuses a query deeper than the limit', async () => {
    const deep = (n: number): string => (n === 0 ? 'name' : `ofType { ${deep(n - 1)} }`);
    await refusedBeforeAnyResolver(
      `{ __type(name: "Fund") { fields { type { ${deep(QUERY_LIMITS.maxDepth)} } } } }`,
      /^GRAPHQL_VALIDATION_FAILED$/,
      /depth/i,
    );
    const nested = `{ funds { pots { ballot { kind } } } }`;
    expect((await api.gql(nested)).errors).toBeUndefined();
  });

  it('refuses more aliases than the limit, also on a mutation, and writes nothing', async () => {
    const aliases = Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `f${i}: createFund(input: ${fundInput}) { position }`);
    await refusedBeforeAnyResolver(`mutation { ${aliases.join(' ')} }`, /^GRAPHQL_VALIDATION_FAILED$/, /alias/i);
  });

  it('refuses a query over the cost limit', async () => {
    const fields = Array.from(
      { length: QUERY_LIMITS.maxAliases },
      (_, i) => `p${i}: proposals(first: 100) { edges { node { id title history { type } } } }`,
    );
    await refusedBeforeAnyResolver(`{ ${fields.join(' ')} }`, /^GRAPHQL_VALIDATION_FAILED$/, /cost/i);
  });

  it('refuses a query of more tokens than the limit', async () => {
    const many = Array.from({ length: QUERY_LIMITS.maxTokens }, () => 'id').join(' ');
    await refusedBeforeAnyResolver(`{ funds { ${many} } }`, /^(GRAPHQL_PARSE_FAILED|GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT)$/, /token/i);
  });

  it('refuses a body over the size limit before parsing it, and writes nothing', async () => {
    const before = await head();
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({
        query: 'mutation($c: String!) { importRegister(csv: $c) { imported } }',
        variables: { c: 'x'.repeat(2 << 20) },
      }),
    });
    expect(res.status).toBe(413);
    expect(await res.text()).not.toMatch(LEAK);
    expect(await head()).toBe(before);
  });
});

describe('in production mode, on a store that knows none of the ids', () => {
  let prod: Api;
  const as: Partial<Record<Role, string>> = {};
  beforeAll(async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    prod = await startApi({
      NODE_ENV: 'production',
      JWT_SECRET: randomBytes(32).toString('hex'),
      KEY_MASTER_SECRET: randomBytes(32).toString('base64'),
      AUDIT_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      RATE_LIMIT_PER_MINUTE: '1000000',
    });
    const sessions = prod.app.get(SessionService);
    const callers: [Role, ApiRole, string][] = [
      ['administrator', 'administrator', 'admin-1'],
      ['reviewer', 'reviewer', 'officer-1'],
      ['councillor', 'councillor', 'cllr-1'],
      ['resident', 'resident', B],
      ['voter', 'resident', A],
      ['author', 'resident', A],
    ];
    for (const [role, apiRole, subject] of callers) as[role] = (await sessions.start({ subject, role: apiRole, method: 'dev' })).token;
  });
  afterAll(() => prod.stop());

  it.each(Object.keys(MUTATIONS).sort())('%s: every bad input gets a stable code, nothing internal, and changes nothing', async (name) => {
    expect(await badInputProblems(prod, name, as, false)).toEqual([]);
  });
});
