import { ballotDecider } from '../deciders';
import type { Phase } from '../fund/fund.events';
import { evolvePaperBatch, initialPaperBatchState, type PaperBatchEvent } from '../paper-batch/paper-batch';
import { deciderSpec } from '../testing/decider-spec';
import {
  actors,
  ADULT_BORN,
  boroughPot,
  command,
  FUND_ID,
  fundAt,
  past,
  pointsPot,
  T,
  verifiedResident,
  wardPot,
} from '../testing/fixtures';
import type { AcceptedProposal, BallotContent } from './ballot-content';
import type {
  BallotCommand,
  BallotContext,
  CastBallot,
  CorrectPaperBallot,
  RecordPaperBallot,
  ReplaceBallot,
  VoidBallot,
  WithdrawBallot,
} from './ballot.commands';
import type { BallotEvent, BallotSource } from './ballot.events';

const spec = deciderSpec(ballotDecider);
const VOTER = 'a1b2c3';
const ref = { fundId: FUND_ID, potId: wardPot.potId, voter: VOTER };
const ONLINE = { channel: 'online' as const };
const accepted: AcceptedProposal[] = [
  { proposalId: 'p1', officialCost: 8_000_00 },
  { proposalId: 'p2', officialCost: 9_000_00 },
  { proposalId: 'p3', officialCost: 5_000_00 },
];
const batchEvent = past<PaperBatchEvent>('PaperBatchRecorded', {
  batchId: 'batch-1',
  fundId: FUND_ID,
  potId: wardPot.potId,
  officer: 'officer-9',
  location: 'Idea Store Whitechapel',
  collectedAt: T.duringVoting,
  scanReference: 'scan://2026/04/07/001',
  entryCount: 20,
});
const context = (phase: Phase = 'voting_open', changes: Partial<BallotContext> = {}): BallotContext => ({
  fund: fundAt(phase),
  acceptedProposals: accepted,
  voter: verifiedResident('spitalfields'),
  voterDateOfBirth: ADULT_BORN,
  batch: [batchEvent].reduce(evolvePaperBatch, initialPaperBatchState()),
  ...changes,
});
const knapsack = (...proposalIds: string[]): BallotContent => ({ kind: 'knapsack', proposalIds });
const VOTER_ACTOR = actors.resident(VOTER);
const cast = (content = knapsack('p1'), time: string = T.duringVoting, actor = VOTER_ACTOR, potId = wardPot.potId) =>
  command<CastBallot>('CastBallot', { ...ref, potId, content }, actor, time);
const replace = (content: BallotContent, time: string = T.duringVoting) =>
  command<ReplaceBallot>('ReplaceBallot', { ...ref, content }, VOTER_ACTOR, time);
const withdraw = (time: string = T.duringVoting) => command<WithdrawBallot>('WithdrawBallot', ref, VOTER_ACTOR, time);
const voidIt = (reason = 'Duplicate registration found') =>
  command<VoidBallot>('VoidBallot', { ...ref, reason }, actors.reviewer, T.duringVoting);
const paper = (entryNo = 1, content = knapsack('p3'), batchId = 'batch-1') =>
  command<RecordPaperBallot>('RecordPaperBallot', { ...ref, batchId, entryNo, content }, actors.reviewer, T.duringVoting);
const correct = (entryNo = 1, content = knapsack('p1')) =>
  command<CorrectPaperBallot>(
    'CorrectPaperBallot',
    { ...ref, batchId: 'batch-1', entryNo, content, reason: 'Mistyped' },
    actors.reviewer,
    T.duringVoting,
  );

const wasCast = (content = knapsack('p1'), source: BallotSource = ONLINE) =>
  past<BallotEvent>('BallotCast', { ...ref, content, source }, T.duringVoting);
const wasWithdrawn = past<BallotEvent>('BallotWithdrawn', ref, T.duringVoting);
const wasVoided = past<BallotEvent>('BallotVoided', { ...ref, reason: 'fraud' }, T.duringVoting);

describe('ballot', () => {
  describe('CastBallot', () => {
    it('records the first ballot of a voter in a pot, under the pseudonym only', () =>
      spec()
        .when(cast(), context())
        .then({ type: 'BallotCast', data: { ...ref, content: knapsack('p1'), source: ONLINE } }));
    it('keeps nothing but the marks: other fields a transport sent never reach the event', () =>
      spec()
        .when(cast({ ...knapsack('p1'), voterName: 'A. Resident', reference: 'TH123' } as unknown as BallotContent), context())
        .then({ type: 'BallotCast', data: { ...ref, content: knapsack('p1'), source: ONLINE } }));
    it('records a ballot cast at a kiosk with the kiosk, its officer and its place', () => {
      const assisted = { kioskId: 'kiosk-1', officer: 'officer-1', place: 'Idea Store Bow' };
      const atKiosk = cast();
      spec()
        .when({ ...atKiosk, payload: { ...atKiosk.payload, assisted } }, context())
        .then({ type: 'BallotCast', data: { ...ref, content: knapsack('p1'), source: { channel: 'assisted', ...assisted } } });
      spec()
        .when({ ...atKiosk, payload: { ...atKiosk.payload, assisted: { ...assisted, place: ' ' } } }, context())
        .thenRejects('COMMAND.INVALID');
    });
    it('records a new ballot after a withdrawal', () =>
      spec([wasCast(), wasWithdrawn])
        .when(cast(knapsack('p2')), context())
        .then({ type: 'BallotCast', data: { ...ref, content: knapsack('p2'), source: ONLINE } }));
    it('refuses a second ballot: one per resident per pot', () =>
      spec([wasCast()]).when(cast(), context()).thenRejects('BALLOT.ALREADY_CAST'));
    it('refuses a voided voter', () => spec([wasCast(), wasVoided]).when(cast(), context()).thenRejects('BALLOT.VOIDED'));
    it.each(['draft', 'proposals_open', 'review'] as const)('refuses before voting opens (%s)', (phase) =>
      spec().when(cast(), context(phase)).thenRejects('BALLOT.VOTING_NOT_OPEN'),
    );
    it.each(['voting_closed', 'results_published', 'delivery', 'closed'] as const)('refuses once voting has closed (%s)', (phase) =>
      spec().when(cast(), context(phase)).thenRejects('BALLOT.VOTING_CLOSED'),
    );
    it('refuses at the scheduled close even before the phase changes', () =>
      spec()
        .when(cast(knapsack('p1'), T.votingCloses), context())
        .thenRejects('BALLOT.VOTING_CLOSED'));
    it('refuses a resident of another ward', () =>
      spec()
        .when(cast(), context('voting_open', { voter: verifiedResident('bow-east') }))
        .thenRejects('BALLOT.NOT_ELIGIBLE'));
    it('refuses an unknown voter', () =>
      spec()
        .when(cast(), context('voting_open', { voter: undefined }))
        .thenRejects('BALLOT.NOT_ELIGIBLE'));
    it('refuses a resident under the minimum age', () =>
      spec()
        .when(cast(), context('voting_open', { voterDateOfBirth: '2016-01-01' }))
        .thenRejects('BALLOT.NOT_ELIGIBLE'));
    it('refuses a voter whose date of birth could not be opened (fail closed)', () =>
      spec()
        .when(cast(), context('voting_open', { voterDateOfBirth: undefined }))
        .thenRejects('BALLOT.NOT_ELIGIBLE'));
    it('refuses an erased resident with RESIDENT.ERASED', () =>
      spec()
        .when(
          cast(),
          context('voting_open', { voter: { status: 'erased', residentId: 'resident-1', handled: [] }, voterDateOfBirth: undefined }),
        )
        .thenRejects('RESIDENT.ERASED'));
    it('is for residents acting for themselves', () => {
      spec()
        .when(cast(knapsack('p1'), T.duringVoting, actors.reviewer), context())
        .thenRejects('AUTH.FORBIDDEN');
      spec()
        .when(cast(knapsack('p1'), T.duringVoting, actors.resident('someone-else')), context())
        .thenRejects('AUTH.FORBIDDEN');
    });
    it('refuses a pot the fund does not have', () =>
      spec()
        .when(cast(knapsack('p1'), T.duringVoting, VOTER_ACTOR, 'pot-x'), context())
        .thenRejects('FUND.POT_NOT_FOUND'));
    it('refuses another fund', () =>
      spec()
        .when(
          command<CastBallot>('CastBallot', { ...ref, fundId: 'other', content: knapsack('p1') }, VOTER_ACTOR, T.duringVoting),
          context(),
        )
        .thenRejects('FUND.NOT_FOUND'));

    describe('validity for the ballot type', () => {
      it('refuses an approval ballot in a knapsack pot', () =>
        spec()
          .when(cast({ kind: 'approval', proposalIds: ['p1'] }), context())
          .thenRejects('BALLOT.WRONG_BALLOT_TYPE'));
      it('refuses a proposal that is not accepted in the pot', () =>
        spec()
          .when(cast(knapsack('p9')), context())
          .thenRejects('PROPOSAL.NOT_ACCEPTED'));
      it('refuses the same proposal twice', () =>
        spec()
          .when(cast(knapsack('p1', 'p1')), context())
          .thenRejects('BALLOT.DUPLICATE_PICK'));
      it("refuses a knapsack over the pot's budget", () =>
        spec()
          .when(cast(knapsack('p1', 'p2', 'p3')), context())
          .thenRejects('BALLOT.OVER_BUDGET'));
      it('accepts a knapsack exactly at the budget', () => {
        const exact = {
          ...context(),
          acceptedProposals: [
            { proposalId: 'p1', officialCost: 15_000_00 },
            { proposalId: 'p3', officialCost: 5_000_00 },
          ],
        };
        spec()
          .when(cast(knapsack('p1', 'p3')), exact)
          .then({ type: 'BallotCast', data: { ...ref, content: knapsack('p1', 'p3'), source: ONLINE } });
      });
      it('refuses an empty knapsack', () => spec().when(cast(knapsack()), context()).thenRejects('BALLOT.TOO_FEW_PICKS'));

      const inPot = (potId: string, content: BallotContent) =>
        command<CastBallot>('CastBallot', { ...ref, potId, content }, VOTER_ACTOR, T.duringVoting);
      const approval = (...ids: string[]): BallotContent => ({ kind: 'approval', proposalIds: ids });
      it('takes between the minimum and maximum picks on an approval ballot', () => {
        spec().when(inPot(boroughPot.potId, approval()), context()).thenRejects('BALLOT.TOO_FEW_PICKS');
        spec()
          .when(
            inPot(boroughPot.potId, approval('p1', 'p2', 'p3', 'p4')),
            context('voting_open', { acceptedProposals: [...accepted, { proposalId: 'p4', officialCost: 1 }] }),
          )
          .thenRejects('BALLOT.TOO_MANY_PICKS');
        spec()
          .when(inPot(boroughPot.potId, approval('p1', 'p2', 'p3')), context())
          .then({ type: 'BallotCast', data: { ...ref, potId: boroughPot.potId, content: approval('p1', 'p2', 'p3'), source: ONLINE } });
      });
      const points = (...pairs: [string, number][]): BallotContent => ({
        kind: 'cumulative',
        points: pairs.map(([proposalId, p]) => ({ proposalId, points: p })),
      });
      const bow = context('voting_open', { voter: verifiedResident('bow-east') });
      it('spreads at most N whole points on a cumulative ballot', () => {
        spec()
          .when(inPot(pointsPot.potId, points(['p1', 6], ['p2', 4])), bow)
          .then({ type: 'BallotCast', data: { ...ref, potId: pointsPot.potId, content: points(['p1', 6], ['p2', 4]), source: ONLINE } });
        spec()
          .when(inPot(pointsPot.potId, points(['p1', 6], ['p2', 5])), bow)
          .thenRejects('BALLOT.TOO_MANY_POINTS');
        spec()
          .when(inPot(pointsPot.potId, points(['p1', 1.5])), bow)
          .thenRejects('BALLOT.INVALID_POINTS');
        spec()
          .when(inPot(pointsPot.potId, points(['p1', 0])), bow)
          .thenRejects('BALLOT.INVALID_POINTS');
        spec().when(inPot(pointsPot.potId, points()), bow).thenRejects('BALLOT.TOO_FEW_PICKS');
      });
    });
  });

  describe('ReplaceBallot', () => {
    it('replaces the ballot: the latest counts', () =>
      spec([wasCast()])
        .when(replace(knapsack('p2', 'p3')), context())
        .then({ type: 'BallotReplaced', data: { ...ref, content: knapsack('p2', 'p3'), source: ONLINE } }));
    it('refuses when there is no ballot', () =>
      spec()
        .when(replace(knapsack('p2')), context())
        .thenRejects('BALLOT.NOT_FOUND'));
    it('refuses a voided ballot', () =>
      spec([wasCast(), wasVoided])
        .when(replace(knapsack('p2')), context())
        .thenRejects('BALLOT.VOIDED'));
    it('refuses once voting has closed', () =>
      spec([wasCast()])
        .when(replace(knapsack('p2')), context('voting_closed'))
        .thenRejects('BALLOT.VOTING_CLOSED'));
    it('applies the same validity rules', () =>
      spec([wasCast()])
        .when(replace(knapsack('p1', 'p2', 'p3')), context())
        .thenRejects('BALLOT.OVER_BUDGET'));
  });

  describe('WithdrawBallot', () => {
    it('withdraws the ballot', () => spec([wasCast()]).when(withdraw(), context()).then({ type: 'BallotWithdrawn', data: ref }));
    it('refuses without a ballot', () => spec().when(withdraw(), context()).thenRejects('BALLOT.NOT_FOUND'));
    it('refuses once voting has closed', () =>
      spec([wasCast()]).when(withdraw(), context('voting_closed')).thenRejects('BALLOT.VOTING_CLOSED'));
    it('refuses an erased voter: their ballot stays counted', () =>
      spec([wasCast()])
        .when(withdraw(), context('voting_open', { voter: { status: 'erased', residentId: 'resident-1', handled: [] } }))
        .thenRejects('RESIDENT.ERASED'));
  });

  describe('VoidBallot', () => {
    it('lets a reviewer void a ballot with a reason', () =>
      spec([wasCast()])
        .when(voidIt(), context())
        .then({ type: 'BallotVoided', data: { ...ref, reason: 'Duplicate registration found' } }));
    it('works after voting closes, before results', () =>
      spec([wasCast()])
        .when(voidIt(), context('voting_closed'))
        .then({ type: 'BallotVoided', data: { ...ref, reason: 'Duplicate registration found' } }));
    it('refuses after results are published', () =>
      spec([wasCast()]).when(voidIt(), context('results_published')).thenRejects('BALLOT.VOTING_CLOSED'));
    it('needs a reason', () => spec([wasCast()]).when(voidIt(''), context()).thenRejects('COMMAND.INVALID'));
    it('is for reviewers', () =>
      spec([wasCast()])
        .when(command<VoidBallot>('VoidBallot', { ...ref, reason: 'x' }, VOTER_ACTOR, T.duringVoting), context())
        .thenRejects('AUTH.FORBIDDEN'));
    it('refuses without a live ballot', () => spec().when(voidIt(), context()).thenRejects('BALLOT.NOT_FOUND'));
  });

  describe('RecordPaperBallot', () => {
    const fromPaper = { channel: 'paper' as const, batchId: 'batch-1', entryNo: 1 };
    it('records a paper ballot, marked as paper with its batch and entry', () =>
      spec()
        .when(paper(), context())
        .then({ type: 'BallotCast', data: { ...ref, content: knapsack('p3'), source: fromPaper } }));
    it('obeys the same validity rules', () =>
      spec()
        .when(paper(1, knapsack('p1', 'p2', 'p3')), context())
        .thenRejects('BALLOT.OVER_BUDGET'));
    it('refuses a voter who already voted', () => spec([wasCast()]).when(paper(), context()).thenRejects('BALLOT.ALREADY_CAST'));
    it('refuses an ineligible voter', () =>
      spec()
        .when(paper(), context('voting_open', { voter: verifiedResident('bow-east') }))
        .thenRejects('BALLOT.NOT_ELIGIBLE'));
    it('refuses an unknown batch', () =>
      spec()
        .when(paper(1, knapsack('p3'), 'batch-x'), context())
        .thenRejects('PAPER_BATCH.NOT_FOUND'));
    it('refuses an entry number outside the batch', () => spec().when(paper(21), context()).thenRejects('PAPER_BATCH.INVALID'));
    it('is for reviewers', () =>
      spec()
        .when(command<BallotCommand>('RecordPaperBallot', paper().payload, VOTER_ACTOR, T.duringVoting), context())
        .thenRejects('AUTH.FORBIDDEN'));
  });

  describe('CorrectPaperBallot', () => {
    const entry = wasCast(knapsack('p3'), { channel: 'paper', batchId: 'batch-1', entryNo: 1 });
    it('corrects a paper entry with a new event and its reason', () =>
      spec([entry])
        .when(correct(), context())
        .then({
          type: 'BallotReplaced',
          data: { ...ref, content: knapsack('p1'), source: { channel: 'paper', batchId: 'batch-1', entryNo: 1 }, reason: 'Mistyped' },
        }));
    it('refuses to correct an online ballot', () => spec([wasCast()]).when(correct(), context()).thenRejects('BALLOT.NOT_FROM_BATCH'));
    it('refuses another entry of the batch', () => spec([entry]).when(correct(2), context()).thenRejects('BALLOT.NOT_FROM_BATCH'));
  });

  it('has the effect of a retried cast once', () => {
    const first = cast();
    const state = ballotDecider
      .decide(first, ballotDecider.initialState(), context())
      .reduce(ballotDecider.evolve, ballotDecider.initialState());
    expect(ballotDecider.decide(first, state, context())).toEqual([]);
  });
});
