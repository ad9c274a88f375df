import { unreachable, type Phase } from '@civic/domain';
import { receiptStandingVisibility } from '@civic/policy';

/**
 * Where a ballot stands as its receipt may show it. While voting is open a receipt says only
 * that the ballot is recorded: saying that it was replaced or withdrawn would let whoever is
 * shown the receipt (a coercer, a vote buyer) check that the voter did as told. After the close
 * it says that voting is closed; once results are published, the ballot's final standing.
 */
export const RECEIPT_STANDINGS = ['recorded', 'recorded_voting_closed', 'counted', 'superseded', 'withdrawn', 'voided'] as const;
export type ReceiptStandingStatus = (typeof RECEIPT_STANDINGS)[number];

/** The ballot's standing in the full history, once it may be told. */
export interface FinalStanding {
  readonly status: Extract<ReceiptStandingStatus, 'counted' | 'superseded' | 'withdrawn' | 'voided'>;
  /** The public reason of a void. */
  readonly reason?: string;
}

export interface ShownStanding {
  readonly status: ReceiptStandingStatus;
  readonly reason?: string;
}

/**
 * What a receipt may tell in a phase is the embargo's (`receiptStandingVisibility` in
 * `@civic/policy`, the one table every path asks). `none` cannot meet a ballot (there is none
 * before voting opens), so it reads as `recorded`. `final` is only asked once it may be told.
 */
export function standingShown<F extends FinalStanding | Promise<FinalStanding>>(phase: Phase, final: () => F): ShownStanding | F {
  const shown = receiptStandingVisibility(phase);
  switch (shown) {
    case 'final':
      return final();
    case 'recorded_voting_closed':
      return { status: 'recorded_voting_closed' };
    case 'recorded':
    case 'none':
      return { status: 'recorded' };
    default:
      return unreachable(shown);
  }
}
