import { residentDecider } from '../deciders';
import { deciderSpec } from '../testing/decider-spec';
import { actors, boroughPot, command, past, T, verifiedResident, wardPot } from '../testing/fixtures';
import { isEligible, requireEligible } from './eligibility';
import { normaliseReference, requireReference } from './reference';
import type { AssignWard, ImportResident, RegisterResident, ResidentEvent, ResidentState, VerifyResident } from './resident';

const spec = deciderSpec(residentDecider);
const ID = 'r-7f3a';
const register = (payload: Partial<RegisterResident['payload']> = {}, actor = actors.resident()) =>
  command<RegisterResident>('RegisterResident', { residentId: ID, dateOfBirth: '1990-05-17', ...payload }, actor, T.created);
const importRow = (payload: Partial<ImportResident['payload']> = {}) =>
  command<ImportResident>('ImportResident', { residentId: ID, dateOfBirth: '1990-05-17', ward: 'spitalfields', ...payload }, actors.admin, T.created);
const verify = (actor = actors.reviewer) => command<VerifyResident>('VerifyResident', { residentId: ID }, actor, T.created);
const assign = (ward: string, actor = actors.admin) => command<AssignWard>('AssignWard', { residentId: ID, ward }, actor, T.created);
const registered = (ward: string | null = null) =>
  past<ResidentEvent>('ResidentRegistered', { residentId: ID, dateOfBirth: '1990-05-17', ward, source: 'self' });
const imported = () => past<ResidentEvent>('ResidentRegistered', { residentId: ID, dateOfBirth: '1990-05-17', ward: 'spitalfields', source: 'register' });

describe('resident', () => {
  describe('RegisterResident', () => {
    it('registers an unverified resident', () =>
      spec().when(register(), undefined).then({ type: 'ResidentRegistered', data: { residentId: ID, dateOfBirth: '1990-05-17', ward: null, source: 'self' } }));
    it('refuses a second registration', () => spec([registered()]).when(register(), undefined).thenRejects('RESIDENT.ALREADY_REGISTERED'));
    it('refuses a date of birth that does not exist', () => spec().when(register({ dateOfBirth: '1990-02-30' }), undefined).thenRejects('RESIDENT.INVALID_DATE_OF_BIRTH'));
    it('refuses a date of birth in the future', () => spec().when(register({ dateOfBirth: '2030-01-01' }), undefined).thenRejects('RESIDENT.INVALID_DATE_OF_BIRTH'));
    it('refuses an empty ward', () => spec().when(register({ ward: '' }), undefined).thenRejects('RESIDENT.INVALID_WARD'));
    it('is not for auditors', () => spec().when(register({}, actors.auditor), undefined).thenRejects('AUTH.FORBIDDEN'));
  });

  describe('ImportResident', () => {
    it('adds a verified resident from the register', () =>
      spec().when(importRow(), undefined).then({ type: 'ResidentRegistered', data: { residentId: ID, dateOfBirth: '1990-05-17', ward: 'spitalfields', source: 'register' } }));
    it('verifies a resident who registered themself, and sets the ward from the register', () =>
      spec([registered('bow-east')])
        .when(importRow(), undefined)
        .then({ type: 'ResidentVerified', data: { residentId: ID } }, { type: 'ResidentWardAssigned', data: { residentId: ID, ward: 'spitalfields' } }));
    it('refuses a resident already on the register', () => spec([imported()]).when(importRow(), undefined).thenRejects('RESIDENT.ALREADY_REGISTERED'));
    it('is for administrators', () =>
      spec().when(command<ImportResident>('ImportResident', importRow().payload, actors.reviewer, T.created), undefined).thenRejects('AUTH.FORBIDDEN'));
  });

  describe('VerifyResident', () => {
    it('verifies a registered resident', () => spec([registered()]).when(verify(), undefined).then({ type: 'ResidentVerified', data: { residentId: ID } }));
    it('refuses an unknown resident', () => spec().when(verify(), undefined).thenRejects('RESIDENT.NOT_FOUND'));
    it('refuses twice', () => spec([imported()]).when(verify(), undefined).thenRejects('RESIDENT.ALREADY_VERIFIED'));
    it('is not for residents', () => spec([registered()]).when(verify(actors.resident()), undefined).thenRejects('AUTH.FORBIDDEN'));
  });

  describe('AssignWard', () => {
    it('assigns a ward', () => spec([registered()]).when(assign('bow-east'), undefined).then({ type: 'ResidentWardAssigned', data: { residentId: ID, ward: 'bow-east' } }));
    it('refuses an unknown resident', () => spec().when(assign('bow-east'), undefined).thenRejects('RESIDENT.NOT_FOUND'));
    it('is not for residents', () => spec([registered()]).when(assign('bow-east', actors.resident()), undefined).thenRejects('AUTH.FORBIDDEN'));
  });

  describe('references', () => {
    it.each([' ab 123 456 ', 'AB123456', 'ａｂ１２３４５６', 'ab\u00a0123\t456'])('normalises %j to one form', (raw) =>
      expect(normaliseReference(raw)).toBe('AB123456'));
    it('refuses a reference that is too short', () => expect(() => requireReference(' a ')).toThrow(expect.objectContaining({ code: 'RESIDENT.INVALID_REFERENCE' })));
  });

  describe('eligibility', () => {
    it('lets any verified resident of the borough vote in the borough-wide pot', () =>
      expect(isEligible(verifiedResident('bow-east'), boroughPot, 16, T.duringVoting)).toBe(true));
    it('limits a ward pot to residents of that ward', () => {
      expect(isEligible(verifiedResident('spitalfields'), wardPot, 16, T.duringVoting)).toBe(true);
      expect(isEligible(verifiedResident('bow-east'), wardPot, 16, T.duringVoting)).toBe(false);
    });
    it("counts the fund's minimum age on the day of the vote, birthday included", () => {
      expect(isEligible(verifiedResident('x', '2010-04-07'), boroughPot, 16, T.duringVoting)).toBe(true);
      expect(isEligible(verifiedResident('x', '2010-04-08'), boroughPot, 16, T.duringVoting)).toBe(false);
    });
    it('refuses unverified residents with BALLOT.NOT_ELIGIBLE', () =>
      expect(() => requireEligible({ ...verifiedResident(), status: 'registered' } as ResidentState, boroughPot, 16, T.duringVoting)).toThrow(
        expect.objectContaining({ code: 'BALLOT.NOT_ELIGIBLE' }),
      ));
  });
});
