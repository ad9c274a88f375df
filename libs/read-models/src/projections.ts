import type { Projection } from '@civic/projections';
import { fundProjection } from './fund.projection';
import { proposalProjection } from './proposal.projection';
import { registerProjection } from './register.projection';
import { tallyProjection } from './tally.projection';
import { wardsProjection } from './wards.projection';
import { deliveryProjection } from './delivery.projection';
import { voidedBallotsProjection } from './voided-ballots.projection';
import { paperBatchesProjection } from './paper-batches.projection';

/** Every read model of the API, folded by one runner into one node-local file. */
export const PROJECTIONS: readonly Projection[] = [
  fundProjection,
  proposalProjection,
  tallyProjection,
  registerProjection,
  wardsProjection,
  deliveryProjection,
  voidedBallotsProjection,
  paperBatchesProjection,
];
