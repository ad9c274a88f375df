/**
 * Why a rule funded a proposal or not, as data (schema version 2 of `AllocationRecorded`): pages
 * turn it into sentences in each language, so no explanation is stored in one language only.
 * Amounts are exact pence as strings: a whole number ("12500") or a fraction ("37500/7"), since
 * Method of Equal Shares splits costs into shares that need not be whole pence.
 */
export type ExactPence = string;

/** A share of a group as an exact fraction string, "3/7" or "1". */
export type ExactShare = string;

export interface PaymentGroup {
  /** How many supporters paid this way. */
  readonly voters: number;
  /** True when they paid all the money they had left. */
  readonly allTheyHad: boolean;
  /** What each paid, when they paid the same amount. */
  readonly paidEach?: ExactPence;
  readonly total: ExactPence;
}

/** A funded proposal whose supporters were also this proposal's: how many of them. */
export interface SupporterOverlap {
  readonly proposalId: string;
  /** Supporters of this proposal who also backed that one. */
  readonly shared: number;
}

export type MesLineExplanation =
  | {
      readonly outcome: 'funded';
      /** The round it was chosen in (0: free and supported, chosen before any round). */
      readonly round: number;
      /** ρ, the price per unit of satisfaction each supporter paid at most. */
      readonly priceFactor: string;
      readonly payments: readonly PaymentGroup[];
    }
  | { readonly outcome: 'no_supporters' }
  | {
      readonly outcome: 'unaffordable';
      /** After which round its supporters' money fell short (0: from the start). */
      readonly round: number;
      /** The funded proposal whose payment left its supporters short; null when they never had enough. */
      readonly exhaustedBy: string | null;
      /** What its supporters had left then. */
      readonly supportersMoney: ExactPence;
      /** Effective support: the share of its cost its supporters could still pay then (below 1). */
      readonly effectiveSupport: ExactShare;
      /** Funded proposals that shared its supporters, most shared first (at most five). */
      readonly overlaps: readonly SupporterOverlap[];
    };

export interface GreedyLineExplanation {
  readonly outcome: 'funded' | 'did_not_fit';
  /** Its place in the order by support per cost (1 = first). */
  readonly rank: number;
  /** Money left when the walk reached it. */
  readonly remainingBefore: ExactPence;
}

export interface LineExplanation {
  /** Residents whose ballot supported it. */
  readonly supporters: number;
  /** Equal shares' verdict (rules of that family). */
  readonly mes?: MesLineExplanation;
  /** The greedy walk's verdict (greedy rules, and the completion step after equal shares). */
  readonly greedy?: GreedyLineExplanation;
}
