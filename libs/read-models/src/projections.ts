import type { Projection } from '@civic/projections';
import { fundProjection } from './fund.projection';
import { proposalProjection } from './proposal.projection';
import { registerProjection } from './register.projection';
import { tallyProjection } from './tally.projection';
import { wardsProjection } from './wards.projection';
import { deliveryProjection } from './delivery.projection';
import { voidedBallotsProjection } from './voided-ballots.projection';
import { paperBatchesProjection } from './paper-batches.projection';
import { timelineProjection } from './timeline.projection';
import { assistedBallotsProjection } from './assisted-ballots.projection';

/**
 * The read models time travel answers from (`asOf` on funds, proposals and tallies, a tally's
 * ballots by channel included), rebuilt at earlier positions.
 */
export const TIME_TRAVEL_PROJECTIONS: readonly Projection[] = [
  fundProjection,
  proposalProjection,
  tallyProjection,
  assistedBallotsProjection,
];

/** Every read model of the API, folded by one runner into one node-local file. */
export const PROJECTIONS: readonly Projection[] = [
  ...TIME_TRAVEL_PROJECTIONS,
  registerProjection,
  timelineProjection,
  wardsProjection,
  deliveryProjection,
  voidedBallotsProjection,
  paperBatchesProjection,
];
