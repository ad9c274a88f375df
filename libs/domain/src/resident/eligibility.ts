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

/**
 * Why a resident may not vote in a pot, or `eligible`: for the resident's own eyes (a page that
 * says "you are not yet verified"), never in an event or an error message.
 */
export const ELIGIBILITY = ['eligible', 'not_registered', 'not_verified', 'too_young', 'other_ward', 'erased'] as const;
export type Eligibility = (typeof ELIGIBILITY)[number];

/** The same tests as {@link requireEligible}, naming the first that fails. Fails closed without a date of birth. */
export const eligibilityIn = (
  resident: ResidentState,
  dateOfBirth: string | undefined,
  pot: Pot,
  minimumAge: number,
  at: Instant,
): Eligibility => {
  switch (resident.status) {
    case 'none':
      return 'not_registered';
    case 'erased':
      return 'erased';
    case 'registered':
      return 'not_verified';
    case 'verified':
      if (pot.scope.kind === 'ward' && resident.ward !== pot.scope.ward) return 'other_ward';
      return dateOfBirth !== undefined && ageOn(dateOfBirth, at) >= minimumAge ? 'eligible' : 'too_young';
    default: {
      const unknown: never = resident;
      return unknown;
    }
  }
};

export const isEligible = (resident: ResidentState, dateOfBirth: string | undefined, pot: Pot, minimumAge: number, at: Instant): boolean =>
  eligibilityIn(resident, dateOfBirth, pot, minimumAge, at) === 'eligible';
