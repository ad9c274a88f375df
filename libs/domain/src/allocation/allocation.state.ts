import { remember, sumPence, unreachable, type Pence } from '../common';
import type { AllocationEvent, AllocationLine, AllocationRecorded } from './allocation.events';

type Recorded = Omit<AllocationRecorded['data'], 'totalCost'> & {
  readonly totalCost: Pence;
  readonly overrides: number;
  readonly handled: readonly string[];
};

export type AllocationState =
  | { readonly status: 'none'; readonly handled: readonly string[] }
  | (Recorded & { readonly status: 'recorded' })
  | (Recorded & { readonly status: 'ratified' })
  | (Recorded & { readonly status: 'published' });

export const initialAllocationState = (): AllocationState => ({ status: 'none', handled: [] });

export const fundedTotal = (lines: readonly AllocationLine[]): Pence => sumPence(lines.filter((l) => l.funded).map((l) => l.amount));

export const evolveAllocation = (state: AllocationState, event: AllocationEvent): AllocationState => {
  const handled = remember(state.handled, event);
  if (event.type === 'AllocationRecorded') return { ...event.data, status: 'recorded', overrides: 0, handled };
  if (state.status === 'none') throw new Error(`${event.type} before AllocationRecorded`);
  switch (event.type) {
    case 'AllocationLineOverridden': {
      const { proposalId, funded, amount, reason } = event.data;
      // The rule's explanation stays: it says what the rule decided, which the override set aside.
      const lines = state.lines.map((l) =>
        l.proposalId === proposalId
          ? { proposalId, funded, amount, reason, overridden: true as const, ...(l.explanation && { explanation: l.explanation }) }
          : l,
      );
      return { ...state, lines, totalCost: fundedTotal(lines), overrides: state.overrides + 1, handled };
    }
    case 'AllocationRatified':
      return { ...state, status: 'ratified', handled };
    case 'AllocationPublished':
      return { ...state, status: 'published', handled };
    default:
      return unreachable(event);
  }
};
