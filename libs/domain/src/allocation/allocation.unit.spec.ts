import type { AcceptedProposal } from '../ballot/ballot-content';
import { allocationDecider } from '../deciders';
import type { Phase } from '../fund/fund.events';
import { deciderSpec } from '../testing/decider-spec';
import { actors, command, FUND_ID, fundAt, past, T, wardPot } from '../testing/fixtures';
import type {
  AllocationContext,
  OverrideAllocationLine,
  PublishAllocation,
  RatifyAllocation,
  RecordAllocation,
} from './allocation.commands';
import type { AllocationEvent, AllocationLine, AllocationOutcome } from './allocation.events';

const spec = deciderSpec(allocationDecider);
const ref = { fundId: FUND_ID, potId: wardPot.potId };
const DIGEST = 'a'.repeat(64);
const accepted: AcceptedProposal[] = [
  { proposalId: 'p1', officialCost: 12_000_00 },
  { proposalId: 'p2', officialCost: 9_000_00 },
  { proposalId: 'p3', officialCost: 5_000_00 },
];
const line = (proposalId: string, funded: boolean, amount: number): AllocationLine => ({
  proposalId,
  funded,
  amount,
  reason: funded ? 'Funded in round 1' : 'Did not fit',
});
const lines = [line('p1', true, 12_000_00), line('p2', false, 0), line('p3', true, 5_000_00)];
const outcome: AllocationOutcome = {
  rule: 'mes_cost_add1_greedy',
  ruleVersion: 'civic-allocation@1',
  inputDigest: DIGEST,
  ballotCount: 120,
  lines,
};
const context = (phase: Phase = 'voting_closed'): AllocationContext => ({ fund: fundAt(phase), acceptedProposals: accepted });
const record = (changes: Partial<AllocationOutcome> = {}, actor = actors.system) =>
  command<RecordAllocation>('RecordAllocation', { ...ref, outcome: { ...outcome, ...changes } }, actor, T.afterVoting);
const override = (proposalId: string, funded: boolean, reason = 'Match funding from the GLA') =>
  command<OverrideAllocationLine>('OverrideAllocationLine', { ...ref, proposalId, funded, reason }, actors.councillor, T.afterVoting);
const ratify = (actor = actors.councillor) => command<RatifyAllocation>('RatifyAllocation', ref, actor, T.afterVoting);
const publish = () => command<PublishAllocation>('PublishAllocation', ref, actors.councillor, T.afterVoting);

const recorded = past<AllocationEvent>(
  'AllocationRecorded',
  { ...ref, ...outcome, budget: wardPot.budget, totalCost: 17_000_00 },
  T.afterVoting,
);
const ratified = past<AllocationEvent>('AllocationRatified', ref, T.afterVoting);
const published = past<AllocationEvent>('AllocationPublished', ref, T.afterVoting);

describe('allocation', () => {
  describe('RecordAllocation', () => {
    it('records the rule, its version, the digest of inputs, the lines and the total', () =>
      spec()
        .when(record(), context())
        .then({ type: 'AllocationRecorded', data: { ...ref, ...outcome, budget: wardPot.budget, totalCost: 17_000_00 } }));
    it('supersedes an unratified recording', () =>
      spec([recorded])
        .when(record({ ballotCount: 119 }), context())
        .then(expect.objectContaining({ type: 'AllocationRecorded' })));
    it.each(['voting_open', 'review'] as const)('refuses before voting closes (%s)', (phase) =>
      spec().when(record(), context(phase)).thenRejects('ALLOCATION.VOTING_NOT_CLOSED'),
    );
    it('is for the administrator or the platform', () => spec().when(record({}, actors.reviewer), context()).thenRejects('AUTH.FORBIDDEN'));
    it("refuses an outcome over the pot's budget", () =>
      spec()
        .when(record({ lines: [line('p1', true, 12_000_00), line('p2', true, 9_000_00), line('p3', false, 0)] }), context())
        .thenRejects('ALLOCATION.OVER_BUDGET'));
    it("refuses a rule that is not the pot's", () =>
      spec()
        .when(record({ rule: 'greedy_cost' }), context())
        .thenRejects('ALLOCATION.RULE_MISMATCH'));
    it('refuses an outcome without a digest of its inputs', () =>
      spec()
        .when(record({ inputDigest: '' }), context())
        .thenRejects('ALLOCATION.DIGEST_MISSING'));
    it('refuses a proposal that is not accepted in the pot', () =>
      spec()
        .when(record({ lines: [...lines, line('p9', false, 0)] }), context())
        .thenRejects('PROPOSAL.NOT_ACCEPTED'));
    it('refuses an amount other than the official cost', () =>
      spec()
        .when(record({ lines: [line('p1', true, 11_000_00), line('p2', false, 0), line('p3', true, 5_000_00)] }), context())
        .thenRejects('ALLOCATION.AMOUNT_MISMATCH'));
    it('refuses an outcome that leaves out an accepted proposal', () =>
      spec()
        .when(record({ lines: lines.slice(0, 2) }), context())
        .thenRejects('ALLOCATION.INVALID'));
    it('refuses once ratified', () => spec([recorded, ratified]).when(record(), context()).thenRejects('ALLOCATION.ALREADY_RATIFIED'));
  });

  describe('OverrideAllocationLine', () => {
    it('lets a councillor change a line with a recorded reason', () =>
      spec([recorded])
        .when(override('p3', false), context())
        .then({
          type: 'AllocationLineOverridden',
          data: { ...ref, proposalId: 'p3', funded: false, amount: 0, reason: 'Match funding from the GLA' },
        }));
    it('evolves the total', () =>
      expect(
        [
          recorded,
          past<AllocationEvent>('AllocationLineOverridden', { ...ref, proposalId: 'p3', funded: false, amount: 0, reason: 'x' }),
        ].reduce(allocationDecider.evolve, allocationDecider.initialState()),
      ).toMatchObject({ totalCost: 12_000_00, overrides: 1 }));
    it('never goes over the budget', () => spec([recorded]).when(override('p2', true), context()).thenRejects('ALLOCATION.OVER_BUDGET'));
    it('needs a reason', () =>
      spec([recorded])
        .when(override('p3', false, ''), context())
        .thenRejects('ALLOCATION.INVALID'));
    it('must change the line', () => spec([recorded]).when(override('p3', true), context()).thenRejects('ALLOCATION.INVALID'));
    it('refuses a proposal without a line', () =>
      spec([recorded]).when(override('p9', true), context()).thenRejects('PROPOSAL.NOT_ACCEPTED'));
    it('refuses before anything is recorded', () => spec().when(override('p3', false), context()).thenRejects('ALLOCATION.NOT_RECORDED'));
    it('refuses after ratification', () =>
      spec([recorded, ratified]).when(override('p3', false), context()).thenRejects('ALLOCATION.ALREADY_RATIFIED'));
  });

  describe('RatifyAllocation', () => {
    it('ratifies a recorded allocation', () => spec([recorded]).when(ratify(), context()).then({ type: 'AllocationRatified', data: ref }));
    it('is for councillors', () => spec([recorded]).when(ratify(actors.admin), context()).thenRejects('AUTH.FORBIDDEN'));
    it('refuses twice', () => spec([recorded, ratified]).when(ratify(), context()).thenRejects('ALLOCATION.ALREADY_RATIFIED'));
  });

  describe('PublishAllocation', () => {
    it('publishes a ratified allocation', () =>
      spec([recorded, ratified]).when(publish(), context()).then({ type: 'AllocationPublished', data: ref }));
    it('refuses an unratified allocation', () => spec([recorded]).when(publish(), context()).thenRejects('ALLOCATION.NOT_RATIFIED'));
    it('refuses twice', () => spec([recorded, ratified, published]).when(publish(), context()).thenRejects('ALLOCATION.ALREADY_PUBLISHED'));
  });
});
