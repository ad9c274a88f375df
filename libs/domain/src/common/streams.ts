/**
 * Stream names, one place. The category (before the first `-`) names the aggregate, so
 * projections can subscribe by category. Ids may contain `-` (UUIDs); names are never parsed.
 */
export const streams = {
  resident: (residentId: string) => `resident-${residentId}`,
  fund: (fundId: string) => `fund-${fundId}`,
  /** The borough's configured wards: one stream for the platform. */
  wards: () => 'wards-borough',
  proposal: (proposalId: string) => `proposal-${proposalId}`,
  /** A fund's proposal numbers: reserved one by one, at exact revisions, as proposals are accepted. */
  proposalNumbers: (fundId: string) => `proposalnumbers-${fundId}`,
  /** One stream per ballot: a resident has at most one per pot. */
  ballot: (potId: string, voterPseudonym: string) => `ballot-${potId}-${voterPseudonym}`,
  paperBatch: (batchId: string) => `paperbatch-${batchId}`,
  allocation: (potId: string) => `allocation-${potId}`,
  delivery: (proposalId: string) => `delivery-${proposalId}`,
} as const;
