import fc from 'fast-check';
import type { BallotContent } from '../ballot/ballot-content';
import type { FundCommand } from '../fund/fund.commands';
import { ruleKeyFor } from '../fund/rule-keys';
import { actors, FUND_ID, T } from '../testing/fixtures';
import { DATES_OF_BIRTH, POTS, RESIDENTS, Scenario } from '../testing/scenario';
import { breaches } from './invariants';

const PHASE_COMMANDS = [
  'OpenProposals',
  'StartReview',
  'OpenVoting',
  'CloseVoting',
  'PublishResults',
  'StartDelivery',
  'CloseFund',
] as const;
const TIMES = [T.created, T.proposalsOpen, T.review, T.votingOpens, T.duringVoting, T.votingCloses, T.afterVoting];
const PROPOSALS = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];

const pot = fc.nat({ max: POTS.length - 1 });
// Mostly the three residents who may vote somewhere, sometimes the too young and the unverified.
const voter = fc.oneof({ arbitrary: fc.nat({ max: 2 }), weight: 4 }, { arbitrary: fc.nat({ max: RESIDENTS.length - 1 }), weight: 1 });
const proposal = fc.nat({ max: PROPOSALS.length - 1 });
const picks = fc.uniqueArray(proposal, { maxLength: 4 });
const cost = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 8_000_00 }), weight: 8 },
  { arbitrary: fc.constantFrom(0, 0.5, -1, 30_000_00, 100_000_01), weight: 1 },
);

/** Valid and invalid commands alike: the deciders must refuse the invalid ones without breaking anything. */
const action = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('advance' as const) }), weight: 2 },
  fc.record({
    kind: fc.constant('phase' as const),
    which: fc.constantFrom(...PHASE_COMMANDS),
    role: fc.constantFrom('administrator', 'councillor', 'resident'),
  }),
  fc.record({ kind: fc.constant('tick' as const) }),
  fc.record({ kind: fc.constant('rules' as const), pot, budget: fc.oneof(fc.integer({ min: 10_000_00, max: 200_000_00 }), cost) }),
  { arbitrary: fc.record({ kind: fc.constant('submit' as const), id: proposal, pot, cost }), weight: 4 },
  {
    arbitrary: fc.record({ kind: fc.constant('review' as const), id: proposal, accept: fc.oneof(fc.constant(true), fc.boolean()), cost }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('ballot' as const),
      how: fc.constantFrom('CastBallot', 'ReplaceBallot', 'WithdrawBallot', 'VoidBallot'),
      voter,
      pot,
      picks,
      spread: fc.nat({ max: 6 }),
      amongAccepted: fc.boolean(),
    }),
    weight: 6,
  },
  fc.record({ kind: fc.constant('record' as const), pot, funded: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }) }),
  fc.record({
    kind: fc.constant('allocation' as const),
    how: fc.constantFrom('RatifyAllocation', 'PublishAllocation', 'OverrideAllocationLine'),
    pot,
    id: proposal,
    funded: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('retry' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('merge' as const), id: proposal, into: proposal }),
  fc.record({ kind: fc.constant('withdrawProposal' as const), id: proposal }),
  fc.record({
    kind: fc.constant('paper' as const),
    batch: fc.nat({ max: 1 }),
    voter,
    pot,
    picks,
    entryNo: fc.integer({ min: 0, max: 4 }),
    correct: fc.boolean(),
  }),
  // Now and then a resident is erased: their ballots stay, and they may not vote again.
  { arbitrary: fc.record({ kind: fc.constant('erase' as const), voter }), weight: 1 },
);
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

/** Residents and the pots they may vote in, so that many ballots get past eligibility. */
const ELIGIBLE: readonly [number, number][] = [
  [0, 0],
  [1, 0],
  [2, 0],
  [0, 1],
  [1, 1],
  [2, 2],
];
const likelyBallot = fc
  .record({
    pair: fc.constantFrom(...ELIGIBLE),
    how: fc.constantFrom('CastBallot', 'CastBallot', 'ReplaceBallot', 'WithdrawBallot', 'VoidBallot'),
    picks,
    spread: fc.nat({ max: 3 }),
  })
  .map(({ pair, how, picks, spread }): Action => ({
    kind: 'ballot',
    how,
    voter: pair[0],
    pot: pair[1],
    picks,
    spread,
    amongAccepted: true,
  }));

/** What each phase mostly receives (the rest is any command at all). */
const LIKELY: fc.Arbitrary<Action>[] = [
  fc.record({ kind: fc.constant('rules' as const), pot, budget: fc.integer({ min: 10_000_00, max: 200_000_00 }) }),
  fc.record({ kind: fc.constant('submit' as const), id: proposal, pot, cost: fc.integer({ min: 1, max: 8_000_00 }) }),
  fc.oneof(
    {
      arbitrary: fc.record({
        kind: fc.constant('review' as const),
        id: fc.nat({ max: 4 }),
        accept: fc.constant(true),
        cost: fc.integer({ min: 1, max: 8_000_00 }),
      }),
      weight: 4,
    },
    { arbitrary: fc.record({ kind: fc.constant('merge' as const), id: proposal, into: proposal }), weight: 1 },
  ),
  likelyBallot,
  fc.oneof(
    fc.record({ kind: fc.constant('record' as const), pot, funded: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }) }),
    fc.record({
      kind: fc.constant('allocation' as const),
      how: fc.constantFrom('RatifyAllocation', 'PublishAllocation', 'OverrideAllocationLine'),
      pot,
      id: proposal,
      funded: fc.boolean(),
    }),
  ),
];
/** Stretches of commands, one per phase from draft, the fund moved on a phase after each. */
const stretches = fc.tuple(
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((phase) =>
    fc.array(phase < LIKELY.length ? fc.oneof({ arbitrary: LIKELY[phase], weight: 3 }, { arbitrary: action, weight: 1 }) : action, {
      maxLength: 25,
      size: 'max',
    }),
  ),
);

/** Picks among the pot's accepted proposals (mostly valid), or among any ids (mostly not). */
const contentFor = (s: Scenario, potIndex: number, ids: number[], spread: number, amongAccepted: boolean): BallotContent => {
  const accepted = s.world.acceptedProposals(POTS[potIndex].potId).map((p) => p.proposalId);
  const names =
    amongAccepted && accepted.length > 0 ? [...new Set(ids.map((i) => accepted[i % accepted.length]))] : ids.map((i) => PROPOSALS[i]);
  const kind = POTS[potIndex].ballot.kind;
  if (kind === 'cumulative') return { kind, points: names.map((proposalId) => ({ proposalId, points: spread + 1 })) };
  return { kind, proposalIds: names };
};

/** The next phase command, at the time its schedule allows, by the role it needs. */
const NEXT: Record<string, [(typeof PHASE_COMMANDS)[number], number]> = {
  draft: ['OpenProposals', 1],
  proposals_open: ['StartReview', 2],
  review: ['OpenVoting', 3],
  voting_open: ['CloseVoting', 5],
  voting_closed: ['PublishResults', 6],
  results_published: ['StartDelivery', 6],
  delivery: ['CloseFund', 6],
};

const submittedIds = (s: Scenario) =>
  s.world.log
    .filter(({ event }) => event.type === 'ProposalSubmitted')
    .map(({ event }) => (event.data as { proposalId: string }).proposalId);

const apply = (s: Scenario, a: Action): void => {
  const potId = POTS[(a as { pot?: number }).pot ?? 0].potId;
  switch (a.kind) {
    case 'advance': {
      const next = NEXT[s.world.fund(FUND_ID).status];
      if (!next) return;
      if (TIMES[next[1]] > s.now) s.now = TIMES[next[1]];
      s.run<FundCommand>(next[0], { fundId: FUND_ID } as never, next[0] === 'PublishResults' ? actors.councillor : actors.admin);
      return;
    }
    case 'phase': {
      const actor = a.role === 'resident' ? actors.resident('v1') : a.role === 'councillor' ? actors.councillor : actors.admin;
      s.run<FundCommand>(a.which, { fundId: FUND_ID } as never, a.which === 'PublishResults' ? actors.councillor : actor);
      return;
    }
    case 'tick': {
      // The clock only moves forward, one step of the schedule at a time.
      const next = TIMES.find((t) => t > s.now);
      if (next) s.now = next;
      return;
    }
    case 'rules':
      s.run('ChangePotRules', { fundId: FUND_ID, potId, rules: { budget: a.budget } }, actors.admin);
      return;
    case 'submit': {
      const content = { title: 'A proposal', summary: 'Summary', description: 'Description', category: 'parks', estimatedCost: a.cost };
      s.run('SubmitProposal', { proposalId: PROPOSALS[a.id], fundId: FUND_ID, potId, ...content }, actors.resident('author'));
      return;
    }
    case 'review': {
      // Mostly a proposal that was submitted, so that reviews often succeed.
      const submitted = submittedIds(s);
      const proposalId = submitted.length > 0 && a.id < 5 ? submitted[a.id % submitted.length] : PROPOSALS[a.id];
      if (a.accept) s.run('AcceptProposal', { proposalId, officialCost: a.cost }, actors.reviewer);
      else s.run('RejectProposal', { proposalId, reason: 'Not feasible' }, actors.reviewer);
      return;
    }
    case 'ballot': {
      const v = RESIDENTS[a.voter].voter;
      const ref = { fundId: FUND_ID, potId, voter: v };
      const content = contentFor(s, a.pot, a.picks, a.spread, a.amongAccepted);
      if (a.how === 'VoidBallot') s.run('VoidBallot', { ...ref, reason: 'Fraud' }, actors.reviewer);
      else if (a.how === 'WithdrawBallot') s.run('WithdrawBallot', ref, actors.resident(v));
      else s.run(a.how, { ...ref, content }, actors.resident(v));
      return;
    }
    case 'record': {
      const accepted = s.world.acceptedProposals(potId);
      const lines = accepted.map((p, i) => ({
        proposalId: p.proposalId,
        funded: a.funded[i],
        amount: a.funded[i] ? p.officialCost : 0,
        reason: 'by rule',
      }));
      const { ballot, rule } = POTS[a.pot];
      const outcome = { rule: ruleKeyFor(ballot, rule), ruleVersion: '1', inputDigest: 'f'.repeat(64), ballotCount: 0, lines };
      s.run('RecordAllocation', { fundId: FUND_ID, potId, outcome }, actors.system);
      return;
    }
    case 'allocation':
      if (a.how === 'OverrideAllocationLine')
        s.run(
          a.how,
          { fundId: FUND_ID, potId, proposalId: PROPOSALS[a.id], funded: a.funded, reason: 'Councillor decision' },
          actors.councillor,
        );
      else s.run(a.how, { fundId: FUND_ID, potId }, actors.councillor);
      return;
    case 'merge': {
      const submitted = submittedIds(s);
      const pick = (i: number) => (submitted.length > 1 ? submitted[i % submitted.length] : PROPOSALS[i]);
      s.run('MergeProposal', { proposalId: pick(a.id), survivorId: pick(a.into) }, actors.reviewer);
      s.run('AbsorbDuplicate', { proposalId: pick(a.into), duplicateId: pick(a.id) }, actors.reviewer);
      return;
    }
    case 'withdrawProposal':
      s.run('WithdrawProposal', { proposalId: PROPOSALS[a.id] }, actors.resident('author'));
      return;
    case 'paper': {
      // A batch per pot and number, recorded on first use (refused outside voting like any ballot).
      const batchId = `batch-${a.pot}-${a.batch}`;
      if (s.world.state<{ status: string }>(`paperbatch-${batchId}`).status === 'none') {
        const header = { officer: 'officer-1', location: 'Idea Store', collectedAt: T.votingOpens, scanReference: `scan-${batchId}` };
        s.run('RecordPaperBatch', { batchId, fundId: FUND_ID, potId, ...header, entryCount: 3 }, actors.reviewer);
      }
      const entry = {
        fundId: FUND_ID,
        potId,
        voter: RESIDENTS[a.voter].voter,
        batchId,
        entryNo: a.entryNo,
        content: contentFor(s, a.pot, a.picks, 0, true),
      };
      if (a.correct) s.run('CorrectPaperBallot', { ...entry, reason: 'Mistyped' }, actors.reviewer);
      else s.run('RecordPaperBallot', entry, actors.reviewer);
      return;
    }
    case 'erase':
      s.run('EraseResident', { residentId: RESIDENTS[a.voter].residentId, reason: 'Erasure request' }, actors.admin);
      return;
    case 'retry': {
      const before = s.world.log.length;
      const outcome = s.retry(a.index);
      if (outcome.ok && outcome.events.length > 0) throw new Error('a retried command had a second effect');
      expect(s.world.log.length).toBe(before);
      return;
    }
    default: {
      const _: never = a;
      return _;
    }
  }
};

const voters = new Map(RESIDENTS.map((r) => [r.voter, r.residentId]));

describe('the invariants of DESIGN.md', () => {
  it('hold under any sequence of valid and invalid commands, and replaying gives the live state', () => {
    const reached = new Map<string, number>();
    fc.assert(
      fc.property(stretches, (phases) => {
        const s = new Scenario();
        for (const stretch of phases) {
          for (const a of stretch) apply(s, a);
          apply(s, { kind: 'advance' });
        }
        expect(breaches(s.world.log, voters, DATES_OF_BIRTH)).toEqual([]);
        expect(s.world.replay()).toEqual(s.world.live());
        for (const { event } of s.world.log) reached.set(event.type, (reached.get(event.type) ?? 0) + 1);
      }),
      { numRuns: 200 },
    );
    // Random sequences must get far enough for the invariants to be tested, not only vacuously true.
    const wanted = [
      'VotingOpened',
      'BallotCast',
      'BallotReplaced',
      'BallotWithdrawn',
      'BallotVoided',
      'VotingClosed',
      'AllocationRecorded',
      'AllocationLineOverridden',
      'ProposalMerged',
      'PaperBatchRecorded',
      'ResidentErased',
    ];
    expect(wanted.filter((type) => !reached.has(type))).toEqual([]);
  }, 60_000);

  it('are not vacuous: a guided sequence reaches ballots, allocations and published results', () => {
    const s = new Scenario();
    const script: Action[] = [
      { kind: 'tick' },
      { kind: 'phase', which: 'OpenProposals', role: 'administrator' },
      { kind: 'submit', id: 0, pot: 1, cost: 8_000_00 },
      { kind: 'submit', id: 1, pot: 1, cost: 9_000_00 },
      { kind: 'tick' },
      { kind: 'phase', which: 'StartReview', role: 'administrator' },
      { kind: 'review', id: 0, accept: true, cost: 12_000_00 },
      { kind: 'review', id: 1, accept: true, cost: 9_000_00 },
      { kind: 'tick' },
      { kind: 'tick' },
      { kind: 'phase', which: 'OpenVoting', role: 'administrator' },
      { kind: 'ballot', how: 'CastBallot', voter: 0, pot: 1, picks: [0, 1], spread: 0, amongAccepted: false },
      { kind: 'ballot', how: 'CastBallot', voter: 0, pot: 1, picks: [0], spread: 0, amongAccepted: false },
      { kind: 'ballot', how: 'CastBallot', voter: 2, pot: 1, picks: [0], spread: 0, amongAccepted: false },
      { kind: 'tick' },
      { kind: 'phase', which: 'CloseVoting', role: 'administrator' },
      { kind: 'record', pot: 1, funded: [true, true, false, false, false, false] },
      { kind: 'record', pot: 1, funded: [true, false, false, false, false, false] },
      ...[0, 1, 2].flatMap((pot): Action[] => [
        ...(pot === 1 ? [] : [{ kind: 'record' as const, pot, funded: [false, false, false, false, false, false] }]),
        { kind: 'allocation', how: 'RatifyAllocation', pot, id: 0, funded: false },
        { kind: 'allocation', how: 'PublishAllocation', pot, id: 0, funded: false },
      ]),
      { kind: 'tick' },
      { kind: 'phase', which: 'PublishResults', role: 'councillor' },
    ];
    script.forEach((a) => apply(s, a));
    const types = s.world.log.map(({ event }) => event.type);
    expect(types.filter((t) => t === 'BallotCast')).toHaveLength(1);
    expect(types.filter((t) => t === 'AllocationRecorded')).toHaveLength(3);
    expect(types).toContain('ResultsPublished');
    expect(breaches(s.world.log, voters, DATES_OF_BIRTH)).toEqual([]);
  });

  it('detects a breach when one is planted', () => {
    const s = new Scenario();
    const planted = {
      ...s.world.log[0],
      stream: 'ballot-pot-borough-v1',
      event: { ...s.world.log[0].event, type: 'BallotWithdrawn', data: { fundId: FUND_ID, potId: 'pot-borough', voter: 'v1' } },
    };
    expect(breaches([...s.world.log, planted], voters, DATES_OF_BIRTH)).toEqual([
      expect.stringContaining('ballot event while the fund is draft'),
    ]);
  });
});
