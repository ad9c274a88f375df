import {
  ADMIN,
  addPence,
  eventFrom,
  isCalendarDate,
  isPence,
  once,
  reject,
  remember,
  requireId,
  requireRole,
  requireText,
  STAFF,
  unreachable,
  type Command,
  type DomainEvent,
  type Pence,
} from '../common';
import type { AllocationState } from '../allocation/allocation.state';
import type { ExistingFund } from '../fund/fund.state';

// ───────────────────────────── events ─────────────────────────────

export const MILESTONE_STATUSES = ['planned', 'in_progress', 'done'] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

type ProposalRef = { readonly fundId: string; readonly proposalId: string };
type Milestone = { readonly milestoneId: string; readonly title: string; readonly status: MilestoneStatus; readonly note: string };
type Spend = { readonly spendId: string; readonly amount: Pence; readonly description: string; readonly spentOn: string };

/** A milestone's new status; the same milestone is reported again as it progresses. */
export type MilestoneReported = DomainEvent<'MilestoneReported', ProposalRef & Milestone>;
export type SpendReported = DomainEvent<'SpendReported', ProposalRef & Spend>;
export type DeliveryEvent = MilestoneReported | SpendReported;

// ───────────────────────────── state ─────────────────────────────

export type DeliveryState =
  | { readonly status: 'none'; readonly handled: readonly string[] }
  | (ProposalRef & {
      readonly status: 'reporting';
      readonly milestones: readonly Milestone[];
      readonly spendIds: readonly string[];
      readonly totalSpent: Pence;
      readonly handled: readonly string[];
    });

export const initialDeliveryState = (): DeliveryState => ({ status: 'none', handled: [] });

const started = (state: DeliveryState, ref: ProposalRef) =>
  state.status === 'none'
    ? { ...ref, status: 'reporting' as const, milestones: [], spendIds: [], totalSpent: 0, handled: state.handled }
    : state;

export const evolveDelivery = (state: DeliveryState, event: DeliveryEvent): DeliveryState => {
  const handled = remember(state.handled, event);
  const { fundId, proposalId } = event.data;
  const current = started(state, { fundId, proposalId });
  switch (event.type) {
    case 'MilestoneReported': {
      const { milestoneId, title, status, note } = event.data;
      const milestones = [...current.milestones.filter((m) => m.milestoneId !== milestoneId), { milestoneId, title, status, note }];
      return { ...current, milestones, handled };
    }
    case 'SpendReported':
      return {
        ...current,
        spendIds: [...current.spendIds, event.data.spendId],
        totalSpent: addPence(current.totalSpent, event.data.amount),
        handled,
      };
    default:
      return unreachable(event);
  }
};

// ───────────────────────────── commands ─────────────────────────────

export type ReportMilestone = Command<'ReportMilestone', ProposalRef & Milestone>;
export type ReportSpend = Command<'ReportSpend', ProposalRef & Spend>;
export type DeliveryCommand = ReportMilestone | ReportSpend;

/** The fund (for its phase) and the published allocation of the proposal's pot. */
export interface DeliveryContext {
  readonly fund: ExistingFund;
  readonly allocation: AllocationState;
}

// ───────────────────────────── decide ─────────────────────────────

const requireFunded = (command: Command, context: DeliveryContext, ref: ProposalRef): void => {
  requireRole(command.metadata.actor, [...STAFF, ...ADMIN], 'report delivery');
  if (context.fund.fundId !== ref.fundId || context.fund.status !== 'delivery')
    reject('DELIVERY.WRONG_PHASE', 'Delivery is reported during the delivery phase.');
  const { allocation } = context;
  const funded = allocation.status === 'published' && allocation.lines.some((l) => l.proposalId === ref.proposalId && l.funded);
  if (!funded) reject('DELIVERY.NOT_FUNDED', 'Delivery is reported only for funded proposals.');
};

const decideDeliveryCommand = (command: DeliveryCommand, state: DeliveryState, context: DeliveryContext): DeliveryEvent[] => {
  const ref = { fundId: command.payload.fundId, proposalId: command.payload.proposalId };
  requireFunded(command, context, ref);
  switch (command.type) {
    case 'ReportMilestone': {
      const { milestoneId, title, status } = command.payload;
      const note = command.payload.note ?? '';
      requireId(milestoneId, 'milestone id');
      requireText(title, 200, 'DELIVERY.INVALID', 'title');
      if (!MILESTONE_STATUSES.includes(status)) reject('DELIVERY.INVALID', 'A milestone is planned, in progress or done.');
      if (note.length > 2000) reject('DELIVERY.INVALID', 'The note is too long.');
      const previous = state.status === 'reporting' ? state.milestones.find((m) => m.milestoneId === milestoneId) : undefined;
      if (previous?.status === status && previous.title === title && previous.note === note) {
        reject('DELIVERY.DUPLICATE_ENTRY', 'This milestone was already reported as it is.');
      }
      return [eventFrom(command, 'MilestoneReported', { ...ref, milestoneId, title, status, note })];
    }
    case 'ReportSpend': {
      const { spendId, amount, description, spentOn } = command.payload;
      requireId(spendId, 'spend id');
      if (!isPence(amount) || amount === 0) reject('DELIVERY.INVALID', 'Spend is a positive whole number of pence.');
      requireText(description, 500, 'DELIVERY.INVALID', 'description');
      if (!isCalendarDate(spentOn) || spentOn > command.metadata.time.slice(0, 10))
        reject('DELIVERY.INVALID', 'The date of the spend must be a real past date.');
      if (state.status === 'reporting' && state.spendIds.includes(spendId))
        reject('DELIVERY.DUPLICATE_ENTRY', 'This spend was already reported.');
      return [eventFrom(command, 'SpendReported', { ...ref, spendId, amount, description, spentOn })];
    }
    default:
      return unreachable(command);
  }
};

export const decideDelivery = once(decideDeliveryCommand);
