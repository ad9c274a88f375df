import { ageOn, reject, type Instant } from '../common';
import type { Pot } from '../fund/pot';
import type { ResidentState } from './resident';

/**
 * Whether a resident may vote in a pot at an instant: verified; of the pot's ward for a
 * ward pot (any verified resident for the borough-wide pot); at least the fund's minimum
 * age that day. The date of birth is not in the resident's state (it is sealed): the
 * application opens it for this one decision and passes it in memory; without it the
 * answer is no (fail closed). Rejects an erased resident with `RESIDENT.ERASED`, anyone
 * else with `BALLOT.NOT_ELIGIBLE`, without saying which test failed (the message holds no
 * personal data).
 */
export const requireEligible = (
  resident: ResidentState,
  dateOfBirth: string | undefined,
  pot: Pot,
  minimumAge: number,
  at: Instant,
): void => {
  if (resident.status === 'erased') reject('RESIDENT.ERASED', 'This resident was erased.');
  if (!isEligible(resident, dateOfBirth, pot, minimumAge, at))
    reject('BALLOT.NOT_ELIGIBLE', 'This resident is not eligible to vote in this pot.');
};

export const isEligible = (resident: ResidentState, dateOfBirth: string | undefined, pot: Pot, minimumAge: number, at: Instant): boolean =>
  resident.status === 'verified' &&
  (pot.scope.kind === 'borough' || resident.ward === pot.scope.ward) &&
  dateOfBirth !== undefined &&
  ageOn(dateOfBirth, at) >= minimumAge;
