import { residentDecider } from '../deciders';
import { deciderSpec } from '../testing/decider-spec';
import { actors, ADULT_BORN, boroughPot, command, past, sealedFor, T, verifiedResident, wardPot } from '../testing/fixtures';
import { isEligible, requireEligible } from './eligibility';
import { requirePersonalData, requireSealed } from './personal-data';
import { normaliseReference, requireReference } from './reference';
import type { AssignWard, EraseResident, ImportResident, RegisterResident, ResidentEvent, ResidentState, VerifyResident } from './resident';

const spec = deciderSpec(residentDecider);
const ID = 'r-7f3a';
const personal = sealedFor(ID);
const register = (payload: Partial<RegisterResident['payload']> = {}, actor = actors.resident()) =>
  command<RegisterResident>('RegisterResident', { residentId: ID, personal, ...payload }, actor, T.created);
const importRow = (payload: Partial<ImportResident['payload']> = {}) =>
  command<ImportResident>('ImportResident', { residentId: ID, ward: 'spitalfields', personal, ...payload }, actors.admin, T.created);
const verify = (actor = actors.reviewer) => command<VerifyResident>('VerifyResident', { residentId: ID }, actor, T.created);
const assign = (ward: string, actor = actors.admin) => command<AssignWard>('AssignWard', { residentId: ID, ward }, actor, T.created);
const erase = (reason = 'Erasure request under UK GDPR article 17, case 2026-114', actor = actors.admin) =>
  command<EraseResident>('EraseResident', { residentId: ID, reason }, actor, T.created);
const registered = (ward: string | null = null) =>
  past<ResidentEvent>('ResidentRegistered', { residentId: ID, ward, source: 'self', personal });
const imported = () => past<ResidentEvent>('ResidentRegistered', { residentId: ID, ward: 'spitalfields', source: 'register', personal });
const erased = () => past<ResidentEvent>('ResidentErased', { residentId: ID, reason: 'request' });

describe('resident', () => {
  describe('RegisterResident', () => {
    it('registers an unverified resident, personal data sealed (schema version 2)', () => {
      spec()
        .when(register(), undefined)
        .then({ type: 'ResidentRegistered', data: { residentId: ID, ward: null, source: 'self', personal } });
      expect(residentDecider.decide(register(), residentDecider.initialState(), undefined)[0].metadata.schemaVersion).toBe(2);
    });
    it('refuses a second registration', () => spec([registered()]).when(register(), undefined).thenRejects('RESIDENT.ALREADY_REGISTERED'));
    it('refuses personal data that is not sealed', () =>
      spec()
        .when(register({ personal: { keyId: ID, ciphertext: 'Jane Doe, 1 High St' } }), undefined)
        .thenRejects('RESIDENT.INVALID_PERSONAL_DATA'));
    it('refuses an empty ward', () =>
      spec()
        .when(register({ ward: '' }), undefined)
        .thenRejects('RESIDENT.INVALID_WARD'));
    it('is not for auditors', () => spec().when(register({}, actors.auditor), undefined).thenRejects('AUTH.FORBIDDEN'));
    it('refuses an erased resident who registers again: they cannot vote twice', () =>
      spec([registered(), erased()]).when(register(), undefined).thenRejects('RESIDENT.ERASED'));
  });

  describe('ImportResident', () => {
    it('adds a verified resident from the register', () =>
      spec()
        .when(importRow(), undefined)
        .then({ type: 'ResidentRegistered', data: { residentId: ID, ward: 'spitalfields', source: 'register', personal } }));
    it('verifies a resident who registered themself, and sets the ward from the register', () =>
      spec([registered('bow-east')])
        .when(importRow(), undefined)
        .then(
          { type: 'ResidentVerified', data: { residentId: ID } },
          { type: 'ResidentWardAssigned', data: { residentId: ID, ward: 'spitalfields' } },
        ));
    it('refuses a resident already on the register', () =>
      spec([imported()]).when(importRow(), undefined).thenRejects('RESIDENT.ALREADY_REGISTERED'));
    it('refuses an erased resident', () => spec([imported(), erased()]).when(importRow(), undefined).thenRejects('RESIDENT.ERASED'));
    it('is for administrators', () =>
      spec()
        .when(command<ImportResident>('ImportResident', importRow().payload, actors.reviewer, T.created), undefined)
        .thenRejects('AUTH.FORBIDDEN'));
  });

  describe('VerifyResident', () => {
    it('verifies a registered resident', () =>
      spec([registered()])
        .when(verify(), undefined)
        .then({ type: 'ResidentVerified', data: { residentId: ID } }));
    it('refuses an unknown resident', () => spec().when(verify(), undefined).thenRejects('RESIDENT.NOT_FOUND'));
    it('refuses twice', () => spec([imported()]).when(verify(), undefined).thenRejects('RESIDENT.ALREADY_VERIFIED'));
    it('refuses an erased resident', () => spec([registered(), erased()]).when(verify(), undefined).thenRejects('RESIDENT.ERASED'));
    it('is not for residents', () => spec([registered()]).when(verify(actors.resident()), undefined).thenRejects('AUTH.FORBIDDEN'));
  });

  describe('AssignWard', () => {
    it('assigns a ward', () =>
      spec([registered()])
        .when(assign('bow-east'), undefined)
        .then({ type: 'ResidentWardAssigned', data: { residentId: ID, ward: 'bow-east' } }));
    it('refuses an unknown resident', () => spec().when(assign('bow-east'), undefined).thenRejects('RESIDENT.NOT_FOUND'));
    it('refuses an erased resident', () => spec([imported(), erased()]).when(assign('bow-east'), undefined).thenRejects('RESIDENT.ERASED'));
    it('is not for residents', () =>
      spec([registered()]).when(assign('bow-east', actors.resident()), undefined).thenRejects('AUTH.FORBIDDEN'));
  });

  describe('EraseResident', () => {
    it('erases a resident, with the reason; who erased is in the metadata', () => {
      spec([imported()])
        .when(erase(), undefined)
        .then({ type: 'ResidentErased', data: { residentId: ID, reason: 'Erasure request under UK GDPR article 17, case 2026-114' } });
      const [event] = residentDecider.decide(
        erase(),
        [imported()].reduce(residentDecider.evolve, residentDecider.initialState()),
        undefined,
      );
      expect(event.metadata).toMatchObject({ actorRole: 'administrator', actorId: actors.admin.id });
    });
    it('keeps nothing personal in the state', () =>
      expect([imported(), erased()].reduce(residentDecider.evolve, residentDecider.initialState())).toEqual({
        status: 'erased',
        residentId: ID,
        handled: expect.any(Array),
      }));
    it('records nothing when erasing again, so a crash before the key was destroyed can be finished', () =>
      spec([imported(), erased()]).when(erase(), undefined).thenNothing());
    it('refuses an unknown resident', () => spec().when(erase(), undefined).thenRejects('RESIDENT.NOT_FOUND'));
    it('needs a reason', () => spec([imported()]).when(erase(''), undefined).thenRejects('COMMAND.INVALID'));
    it('is for administrators', () => {
      spec([imported()]).when(erase(undefined, actors.reviewer), undefined).thenRejects('AUTH.FORBIDDEN');
      spec([imported()]).when(erase(undefined, actors.resident()), undefined).thenRejects('AUTH.FORBIDDEN');
    });
  });

  describe('personal data', () => {
    it('keeps what is given, trimmed, and leaves out what is not', () =>
      expect(
        requirePersonalData({ dateOfBirth: '1990-05-17', name: ' Amina Begum ', email: 'amina@example.org', address: '' }, T.created),
      ).toEqual({
        dateOfBirth: '1990-05-17',
        name: 'Amina Begum',
        email: 'amina@example.org',
      }));
    it('refuses a date of birth that does not exist', () =>
      expect(() => requirePersonalData({ dateOfBirth: '1990-02-30' }, T.created)).toThrow(
        expect.objectContaining({ code: 'RESIDENT.INVALID_DATE_OF_BIRTH' }),
      ));
    it('refuses a date of birth before 1900 (a typing mistake), on the register import as when registering one', () => {
      expect(() => requirePersonalData({ dateOfBirth: '1066-10-14' }, T.created)).toThrow(
        expect.objectContaining({ code: 'RESIDENT.INVALID_DATE_OF_BIRTH' }),
      );
      expect(requirePersonalData({ dateOfBirth: '1900-01-01' }, T.created).dateOfBirth).toBe('1900-01-01');
    });
    it('refuses a date of birth in the future', () =>
      expect(() => requirePersonalData({ dateOfBirth: '2030-01-01' }, T.created)).toThrow(
        expect.objectContaining({ code: 'RESIDENT.INVALID_DATE_OF_BIRTH' }),
      ));
    it('refuses an email that is not one, without repeating it', () => {
      const attempt = () => requirePersonalData({ dateOfBirth: '1990-05-17', email: 'amina at example' }, T.created);
      expect(attempt).toThrow(expect.objectContaining({ code: 'RESIDENT.INVALID_PERSONAL_DATA' }));
      expect(attempt).not.toThrow(/amina/);
    });
    it('refuses a name that is too long', () =>
      expect(() => requirePersonalData({ dateOfBirth: '1990-05-17', name: 'x'.repeat(201) }, T.created)).toThrow(
        expect.objectContaining({ code: 'RESIDENT.INVALID_PERSONAL_DATA' }),
      ));
    it('checks only the shape of a sealed value', () => {
      expect(requireSealed(personal)).toEqual(personal);
      expect(() => requireSealed({ keyId: ID, ciphertext: '' })).toThrow(
        expect.objectContaining({ code: 'RESIDENT.INVALID_PERSONAL_DATA' }),
      );
      expect(() => requireSealed(undefined)).toThrow(expect.objectContaining({ code: 'RESIDENT.INVALID_PERSONAL_DATA' }));
    });
  });

  describe('references', () => {
    it.each([' ab 123 456 ', 'AB123456', 'ａｂ１２３４５６', 'ab\u00a0123\t456'])('normalises %j to one form', (raw) =>
      expect(normaliseReference(raw)).toBe('AB123456'),
    );
    it('refuses a reference that is too short', () =>
      expect(() => requireReference(' a ')).toThrow(expect.objectContaining({ code: 'RESIDENT.INVALID_REFERENCE' })));
  });

  describe('eligibility', () => {
    it('lets any verified resident of the borough vote in the borough-wide pot', () =>
      expect(isEligible(verifiedResident('bow-east'), ADULT_BORN, boroughPot, 16, T.duringVoting)).toBe(true));
    it('limits a ward pot to residents of that ward', () => {
      expect(isEligible(verifiedResident('spitalfields'), ADULT_BORN, wardPot, 16, T.duringVoting)).toBe(true);
      expect(isEligible(verifiedResident('bow-east'), ADULT_BORN, wardPot, 16, T.duringVoting)).toBe(false);
    });
    it("counts the fund's minimum age on the day of the vote, birthday included", () => {
      expect(isEligible(verifiedResident('x'), '2010-04-07', boroughPot, 16, T.duringVoting)).toBe(true);
      expect(isEligible(verifiedResident('x'), '2010-04-08', boroughPot, 16, T.duringVoting)).toBe(false);
    });
    it('fails closed without a date of birth', () =>
      expect(isEligible(verifiedResident(), undefined, boroughPot, 0, T.duringVoting)).toBe(false));
    it('refuses unverified residents with BALLOT.NOT_ELIGIBLE', () =>
      expect(() =>
        requireEligible({ ...verifiedResident(), status: 'registered' } as ResidentState, ADULT_BORN, boroughPot, 16, T.duringVoting),
      ).toThrow(expect.objectContaining({ code: 'BALLOT.NOT_ELIGIBLE' })));
    it('refuses erased residents with RESIDENT.ERASED', () =>
      expect(() => requireEligible({ status: 'erased', residentId: ID, handled: [] }, undefined, boroughPot, 16, T.duringVoting)).toThrow(
        expect.objectContaining({ code: 'RESIDENT.ERASED' }),
      ));
  });
});
