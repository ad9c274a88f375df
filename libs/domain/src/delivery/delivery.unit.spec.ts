import type { AllocationEvent } from '../allocation/allocation.events';
import { evolveAllocation, initialAllocationState } from '../allocation/allocation.state';
import { deliveryDecider } from '../deciders';
import type { Phase } from '../fund/fund.events';
import { deciderSpec } from '../testing/decider-spec';
import { actors, command, FUND_ID, fundAt, past, T, wardPot } from '../testing/fixtures';
import type { DeliveryContext, DeliveryEvent, ReportMilestone, ReportSpend } from './delivery';

const spec = deciderSpec(deliveryDecider);
const ref = { fundId: FUND_ID, proposalId: 'p1' };
const potRef = { fundId: FUND_ID, potId: wardPot.potId };
const allocation = (publish: boolean) =>
  [
    past<AllocationEvent>('AllocationRecorded', {
      ...potRef,
      rule: 'mes_cost_add1_greedy',
      ruleVersion: '1',
      inputDigest: 'a'.repeat(64),
      ballotCount: 3,
      budget: wardPot.budget,
      totalCost: 12_000_00,
      lines: [
        { proposalId: 'p1', funded: true, amount: 12_000_00, reason: 'r' },
        { proposalId: 'p2', funded: false, amount: 0, reason: 'r' },
      ],
    }),
    past<AllocationEvent>('AllocationRatified', potRef),
    ...(publish ? [past<AllocationEvent>('AllocationPublished', potRef)] : []),
  ].reduce(evolveAllocation, initialAllocationState());
const context = (phase: Phase = 'delivery', published = true): DeliveryContext => ({
  fund: fundAt(phase),
  allocation: allocation(published),
});
const LATER = '2026-06-01T10:00:00Z';
const milestone = (changes: Partial<ReportMilestone['payload']> = {}, actor = actors.admin) =>
  command<ReportMilestone>(
    'ReportMilestone',
    { ...ref, milestoneId: 'm1', title: 'Benches ordered', status: 'done', note: '', ...changes },
    actor,
    LATER,
  );
const spend = (changes: Partial<ReportSpend['payload']> = {}) =>
  command<ReportSpend>(
    'ReportSpend',
    { ...ref, spendId: 's1', amount: 4_500_00, description: 'Oak benches', spentOn: '2026-05-20', ...changes },
    actors.admin,
    LATER,
  );

describe('delivery', () => {
  describe('ReportMilestone', () => {
    it('reports a milestone of a funded proposal', () =>
      spec()
        .when(milestone(), context())
        .then({ type: 'MilestoneReported', data: { ...ref, milestoneId: 'm1', title: 'Benches ordered', status: 'done', note: '' } }));
    it('reports progress on the same milestone', () =>
      spec([
        past<DeliveryEvent>('MilestoneReported', { ...ref, milestoneId: 'm1', title: 'Benches ordered', status: 'in_progress', note: '' }),
      ])
        .when(milestone(), context())
        .then(expect.objectContaining({ type: 'MilestoneReported' })));
    it('refuses a report that changes nothing', () =>
      spec([past<DeliveryEvent>('MilestoneReported', { ...ref, milestoneId: 'm1', title: 'Benches ordered', status: 'done', note: '' })])
        .when(milestone(), context())
        .thenRejects('DELIVERY.DUPLICATE_ENTRY'));
    it('refuses outside the delivery phase', () =>
      spec().when(milestone(), context('results_published')).thenRejects('DELIVERY.WRONG_PHASE'));
    it('refuses a proposal that was not funded', () =>
      spec()
        .when(milestone({ proposalId: 'p2' }), context())
        .thenRejects('DELIVERY.NOT_FUNDED'));
    it('refuses before the allocation is published', () =>
      spec().when(milestone(), context('delivery', false)).thenRejects('DELIVERY.NOT_FUNDED'));
    it('refuses an unknown status', () =>
      spec()
        .when(milestone({ status: 'maybe' as never }), context())
        .thenRejects('DELIVERY.INVALID'));
    it('is not for residents', () => spec().when(milestone({}, actors.resident()), context()).thenRejects('AUTH.FORBIDDEN'));
  });

  describe('ReportSpend', () => {
    it('reports spend in pence', () =>
      spec()
        .when(spend(), context())
        .then({
          type: 'SpendReported',
          data: { ...ref, spendId: 's1', amount: 4_500_00, description: 'Oak benches', spentOn: '2026-05-20' },
        }));
    it('adds spend up exactly', () =>
      expect(
        [
          past<DeliveryEvent>('SpendReported', { ...ref, spendId: 's1', amount: 10, description: 'a', spentOn: '2026-05-01' }),
          past<DeliveryEvent>('SpendReported', { ...ref, spendId: 's2', amount: 20, description: 'b', spentOn: '2026-05-02' }),
        ].reduce(deliveryDecider.evolve, deliveryDecider.initialState()),
      ).toMatchObject({ totalSpent: 30, spendIds: ['s1', 's2'] }));
    it('refuses fractions of a penny', () =>
      spec()
        .when(spend({ amount: 0.5 }), context())
        .thenRejects('DELIVERY.INVALID'));
    it('refuses a spend date in the future', () =>
      spec()
        .when(spend({ spentOn: '2027-01-01' }), context())
        .thenRejects('DELIVERY.INVALID'));
    it('refuses the same spend twice', () =>
      spec([past<DeliveryEvent>('SpendReported', { ...ref, spendId: 's1', amount: 10, description: 'a', spentOn: '2026-05-01' })])
        .when(spend(), context())
        .thenRejects('DELIVERY.DUPLICATE_ENTRY'));
  });
});
