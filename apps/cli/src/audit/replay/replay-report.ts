import type { AllocationState } from '@civic/domain';
import { sees } from '@civic/policy';
import type { HistoryFold } from '../history/history-fold';

/** A pot's allocation as the fold holds it; `published: false` until `AllocationPublished`. */
export interface ReplayedAllocation {
  readonly status: Exclude<AllocationState['status'], 'none'>;
  readonly published: boolean;
  readonly rule: string;
  readonly ruleVersion: string;
  readonly inputDigest: string;
  readonly ballotCount: number;
  readonly budget: number;
  readonly totalCost: number;
  readonly overrides: number;
  readonly lines: readonly { proposalId: string; funded: boolean; amount: number; reason: string }[];
}

export interface ReplayedPot {
  readonly potId: string;
  readonly name: string;
  /** In the fund's minor unit (pence for GBP). */
  readonly budget: number;
  /** Counted ballots: the latest of each voter, not withdrawn or voided (absent where the embargo hides tallies). */
  readonly ballots?: number;
  readonly tally?: { proposalId: string; supporters: number; points: number }[];
  readonly allocation?: ReplayedAllocation;
}

export interface ReplayedFund {
  readonly fundId: string;
  readonly name: string;
  readonly phase: string;
  readonly currency: string;
  readonly pots: ReplayedPot[];
}

/** What `audit replay` prints. */
export interface ReplayReport {
  readonly asOf: string;
  /** The last event folded (`start` when none). */
  readonly position: string;
  readonly eventsRead: number;
  readonly interrupted: boolean;
  readonly funds: ReplayedFund[];
}

/**
 * The funds, their pots, tallies and allocations as the fold holds them, as the embargo shows
 * them to the auditor (replay reads the store itself: it is the auditor's tool).
 */
export function replayedFunds(fold: HistoryFold): ReplayedFund[] {
  const funds: ReplayedFund[] = [];
  for (const [fundId] of fold.funds) {
    const fund = fold.fund(fundId);
    if (!fund) continue;
    funds.push({
      fundId,
      name: fund.name,
      phase: fund.status,
      currency: fund.currency,
      pots: fund.pots.map((pot) => {
        const allocation = sees('auditor', 'draftAllocation', fund.status) ? fold.allocations.get(pot.potId) : undefined;
        return {
          potId: pot.potId,
          name: pot.name,
          budget: pot.budget,
          ...(sees('auditor', 'tally', fund.status)
            ? { ballots: fold.countedBallots(pot.potId).length, tally: fold.tally(fundId, pot.potId) }
            : {}),
          ...(allocation && allocation.status !== 'none' ? { allocation: replayedAllocation(allocation) } : {}),
        };
      }),
    });
  }
  return funds;
}

function replayedAllocation(a: Exclude<AllocationState, { status: 'none' }>): ReplayedAllocation {
  const { status, rule, ruleVersion, inputDigest, ballotCount, budget, totalCost, overrides, lines } = a;
  return { status, published: status === 'published', rule, ruleVersion, inputDigest, ballotCount, budget, totalCost, overrides, lines };
}
