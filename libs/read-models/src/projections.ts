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

/**
 * Tables of those read models that time travel's snapshots set apart (each snapshot's rows of
 * them in a file of their own, read in place): the ballots' marks, almost all of a snapshot's
 * bytes, read by no reader, and by a replay only for the ballots it replaces.
 */
export const TIME_TRAVEL_SET_APART: readonly string[] = ['tally_ballots'];

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
