import { ageOn, reject, type Instant } from '../common';
import type { Pot } from '../fund/pot';
import type { ResidentState } from './resident';

/**
 * Whether a resident may vote in a pot at an instant: verified; of the pot's ward for a
 * ward pot (any verified resident for the borough-wide pot); at least the fund's minimum
 * age that day. Rejects with `BALLOT.NOT_ELIGIBLE`, without saying which test failed
 * (the message holds no personal data).
 */
export const requireEligible = (resident: ResidentState, pot: Pot, minimumAge: number, at: Instant): void => {
  if (!isEligible(resident, pot, minimumAge, at)) reject('BALLOT.NOT_ELIGIBLE', 'This resident is not eligible to vote in this pot.');
};

export const isEligible = (resident: ResidentState, pot: Pot, minimumAge: number, at: Instant): boolean =>
  resident.status === 'verified' &&
  (pot.scope.kind === 'borough' || resident.ward === pot.scope.ward) &&
  ageOn(resident.dateOfBirth, at) >= minimumAge;
