import type { AssignWard, RegisterResident, VerifyResident } from '@civic/domain';
import { createHarness, RESIDENT, STAFF, type Harness } from '../testing/harness';
import { ImportRegisterCommand } from './import-register';
import { residentIdFor, RunResidentCommand, RunResidentCommandHandler } from './run-resident-command';

describe(RunResidentCommandHandler.name, () => {
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  const register = (reference: string) =>
    h.handlers.residents.execute(
      new RunResidentCommand<RegisterResident>('RegisterResident', { reference, dateOfBirth: '1990-05-17' }, h.input(RESIDENT)),
    );

  it('keys a resident by the keyed hash of the normalised reference, and never records the reference', async () => {
    const { streamName } = await register('th 123 456');
    expect(streamName).toBe(`resident-${await residentIdFor(h.runtime, 'TH123456')}`);
    expect(JSON.stringify(await h.store.readAll())).not.toMatch(/TH123456|th 123 456/i);
  });

  it('refuses a second registration of the same resident, however typed', async () => {
    await register('TH123456');
    await expect(register('ＴＨ１２３４５６')).rejects.toMatchObject({ code: 'RESIDENT.ALREADY_REGISTERED' });
  });

  it('verifies a resident and assigns a ward', async () => {
    await register('TH123456');
    await h.handlers.residents.execute(
      new RunResidentCommand<VerifyResident>('VerifyResident', { reference: 'TH123456' }, h.input(STAFF.reviewer)),
    );
    await h.handlers.residents.execute(
      new RunResidentCommand<AssignWard>('AssignWard', { reference: 'TH123456', ward: 'bow-east' }, h.input(STAFF.admin)),
    );
    expect(await h.runtime.reader.resident(await residentIdFor(h.runtime, 'TH123456'))).toMatchObject({
      status: 'verified',
      ward: 'bow-east',
    });
  });

  it('checks personal data before sealing it, and writes nothing for a bad one', async () => {
    const attempt = (personal: Partial<RegisterResident['payload']> & { dateOfBirth: string; email?: string }) =>
      h.handlers.residents.execute(
        new RunResidentCommand<RegisterResident>('RegisterResident', { reference: 'TH123456', ...personal }, h.input(RESIDENT)),
      );
    await expect(attempt({ dateOfBirth: '1990-02-30' })).rejects.toMatchObject({ code: 'RESIDENT.INVALID_DATE_OF_BIRTH' });
    await expect(attempt({ dateOfBirth: '1990-05-17', email: 'not an email' })).rejects.toMatchObject({
      code: 'RESIDENT.INVALID_PERSONAL_DATA',
    });
    expect(await h.store.readAll()).toEqual([]);
  });

  it('reports bad personal data of an imported row by line and code', async () => {
    const csv = 'reference,ward,date_of_birth,email\nTH000001,bow,1990-01-01,nope\nTH000002,bow,1990-01-01,ok@example.org';
    const result = await h.handlers.importRegister.execute(new ImportRegisterCommand(csv, h.input(STAFF.admin)));
    expect(result).toEqual({ imported: 1, refused: [{ line: 2, code: 'RESIDENT.INVALID_PERSONAL_DATA', message: expect.any(String) }] });
  });

  it('refuses a reference that cannot be one', () => expect(register('?')).rejects.toMatchObject({ code: 'RESIDENT.INVALID_REFERENCE' }));
});
