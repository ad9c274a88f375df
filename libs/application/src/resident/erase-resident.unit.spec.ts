import type { CastBallot, EraseResident, ImportResident, RegisterResident, ReplaceBallot, ResidentState } from '@civic/domain';
import { ComputeAllocationCommand } from '../allocation/compute-allocation';
import { RunBallotCommand, RunBallotCommandHandler } from '../ballot/run-ballot-command';
import { CommandRuntime } from '../command-handling/command-runtime';
import { InMemoryPersonalDataVault } from '../personal-data/in-memory-personal-data-vault';
import { HmacPseudonymiser } from '../ports/hmac-pseudonymiser';
import { DerivedKeyPort } from '../ports/key.port';
import type { PersonalDataVault } from '../ports/personal-data-vault.port';
import { createHarness, FUND_ID, knapsack, RESIDENT, SAMPLE_PROPOSALS, STAFF, TIMES, WARD_POT, type Harness } from '../testing/harness';
import { finishErasures } from './finish-erasures';
import { ImportRegisterCommand } from './import-register';
import { residentIdFor, RunResidentCommand, RunResidentCommandHandler } from './run-resident-command';

const AMINA = { name: 'Amina Begum', address: '12 Brick Lane, London E1 6RF', email: 'amina.begum@example.org', dateOfBirth: '1987-11-23' };
const REGISTER = [
  'reference,ward,date_of_birth,name,address,email',
  `TH000001,spitalfields,${AMINA.dateOfBirth},${AMINA.name},"${AMINA.address}",${AMINA.email}`,
  'TH000002,spitalfields,1979-02-14,Tom Hughes,,',
  'TH000003,spitalfields,1995-07-30,,,',
].join('\n');
const ward = { fundId: FUND_ID, potId: WARD_POT.potId };

describe('erasing a resident (crypto-shredding)', () => {
  let h: Harness;
  const cast = (reference: string, content = knapsack('benches')) =>
    h.handlers.ballots.execute(
      new RunBallotCommand<CastBallot>('CastBallot', { ...ward, voter: { reference }, content }, h.input(RESIDENT)),
    );
  const erase = (reference: string, handlers = h.handlers.residents) =>
    handlers.execute(
      new RunResidentCommand<EraseResident>('EraseResident', { reference, reason: 'Erasure request, case 2026-114' }, h.input(STAFF.admin)),
    );
  const residentOf = async (reference: string) => h.runtime.reader.resident(await residentIdFor(h.runtime, reference));
  const sealedOf = async (reference: string) => {
    const state = await residentOf(reference);
    if (state.status !== 'verified') throw new Error(`not verified: ${state.status}`);
    return { residentId: state.residentId, personal: state.personal! };
  };

  beforeEach(async () => {
    h = createHarness();
    await h.openVoting(REGISTER, SAMPLE_PROPOSALS);
  });

  it('seals personal data: the vault opens it, and no stored event holds it in clear', async () => {
    const { residentId, personal } = await sealedOf('TH000001');
    expect(await h.vault.open(residentId, personal)).toEqual(AMINA);
    const stored = JSON.stringify(await h.store.readAll({ maxCount: 100_000 }));
    for (const value of [...Object.values(AMINA), 'Tom Hughes', '1979-02-14', '1995-07-30', 'Brick Lane'])
      expect(stored).not.toContain(value);
  });

  it('lets voting check the age against the sealed date of birth, in memory', async () => {
    await h.handlers.importRegister.execute(
      new ImportRegisterCommand('reference,ward,date_of_birth\nYOUNG01,spitalfields,2015-01-01', h.input(STAFF.admin)),
    );
    await expect(cast('YOUNG01')).rejects.toMatchObject({ code: 'BALLOT.NOT_ELIGIBLE' });
    await expect(cast('TH000001')).resolves.toMatchObject({ alreadyHandled: false });
  });

  it('after erasure: the data cannot be opened, the ballots still count, and the resident cannot vote again', async () => {
    await cast('TH000001', knapsack('benches', 'lights'));
    await cast('TH000002', knapsack('trees'));
    const { residentId, personal } = await sealedOf('TH000001');
    const streamBefore = JSON.stringify(await h.store.readStream(`resident-${residentId}`));

    const { events } = await erase('TH000001');
    expect(events).toEqual([
      expect.objectContaining({ type: 'ResidentErased', data: { residentId, reason: 'Erasure request, case 2026-114' } }),
    ]);
    expect(events[0].metadata).toMatchObject({ actorRole: 'administrator', actorId: STAFF.admin.id });

    // Unrecoverable: the key is gone. Nothing stored before was changed.
    expect(await h.vault.open(residentId, personal)).toBeUndefined();
    expect(JSON.stringify((await h.store.readStream(`resident-${residentId}`)).slice(0, -1))).toBe(streamBefore);
    expect(await residentOf('TH000001')).toEqual({ status: 'erased', residentId, handled: expect.any(Array) } satisfies ResidentState);

    // The pseudonymous ballot still counts, through to the allocation.
    expect((await h.runtime.reader.countedBallots(WARD_POT.potId)).map((b) => b.content)).toEqual(
      expect.arrayContaining([knapsack('benches', 'lights'), knapsack('trees')]),
    );

    // No new ballot, no change, no comeback under the same reference however typed.
    await expect(cast(' th 000 001 ')).rejects.toMatchObject({ code: 'RESIDENT.ERASED' });
    await expect(
      h.handlers.ballots.execute(
        new RunBallotCommand<ReplaceBallot>(
          'ReplaceBallot',
          { ...ward, voter: { reference: 'TH000001' }, content: knapsack('trees') },
          h.input(RESIDENT),
        ),
      ),
    ).rejects.toMatchObject({ code: 'RESIDENT.ERASED' });
    const again = { reference: 'ＴＨ０００００１', ward: 'spitalfields', ...AMINA };
    await expect(
      h.handlers.residents.execute(new RunResidentCommand<RegisterResident>('RegisterResident', again, h.input(RESIDENT))),
    ).rejects.toMatchObject({
      code: 'RESIDENT.ERASED',
    });
    await expect(
      h.handlers.residents.execute(new RunResidentCommand<ImportResident>('ImportResident', again, h.input(STAFF.admin))),
    ).rejects.toMatchObject({
      code: 'RESIDENT.ERASED',
    });

    h.clock.set(TIMES.votingCloses);
    await h.fund('CloseVoting');
    h.clock.set(TIMES.afterVoting);
    const { events: allocation } = await h.handlers.computeAllocation.execute(
      new ComputeAllocationCommand(FUND_ID, WARD_POT.potId, h.input(STAFF.system)),
    );
    expect(allocation[0].data).toMatchObject({ ballotCount: 2 });
  });

  it('finishes an erasure that a crash interrupted between the event and the key, by erasing again or at start-up', async () => {
    const { residentId, personal } = await sealedOf('TH000001');
    // A vault that dies on destroy: the event is appended, the key survives.
    const crashing: PersonalDataVault = {
      seal: (...a) => h.vault.seal(...a),
      open: (...a) => h.vault.open(...a),
      destroy: () => Promise.reject(new Error('power cut')),
    };
    const runtime = new CommandRuntime(
      h.store,
      h.clock,
      new HmacPseudonymiser(new DerivedKeyPort(Buffer.alloc(32, 7))),
      {},
      undefined,
      crashing,
    );
    await expect(erase('TH000001', new RunResidentCommandHandler(runtime))).rejects.toThrow('power cut');
    expect(await h.vault.open(residentId, personal)).toEqual(AMINA);
    await expect(cast('TH000001')).rejects.toMatchObject({ code: 'RESIDENT.ERASED' });

    // Erasing again records nothing and destroys the key.
    const again = await erase('TH000001');
    expect(again).toMatchObject({ alreadyHandled: true, events: [] });
    expect(await h.vault.open(residentId, personal)).toBeUndefined();

    // Or the start-up sweep does it.
    const other = await sealedOf('TH000002');
    await expect(erase('TH000002', new RunResidentCommandHandler(runtime))).rejects.toThrow('power cut');
    expect(await finishErasures(h.store, h.vault)).toBe(2);
    expect(await h.vault.open(other.residentId, other.personal)).toBeUndefined();
  });

  it('refuses a ballot, failing closed, when the vault has lost a key of a resident who was not erased', async () => {
    const amnesiac = new CommandRuntime(
      h.store,
      h.clock,
      new HmacPseudonymiser(new DerivedKeyPort(Buffer.alloc(32, 7))),
      {},
      undefined,
      new InMemoryPersonalDataVault(),
    );
    const ballots = new RunBallotCommandHandler(amnesiac);
    await expect(
      ballots.execute(
        new RunBallotCommand<CastBallot>(
          'CastBallot',
          { ...ward, voter: { reference: 'TH000003' }, content: knapsack('benches') },
          h.input(RESIDENT),
        ),
      ),
    ).rejects.toMatchObject({ code: 'RESIDENT.PERSONAL_DATA_UNAVAILABLE' });
  });

  it('refuses to erase an unknown resident, and is for administrators only', async () => {
    await expect(erase('TH999999')).rejects.toMatchObject({ code: 'RESIDENT.NOT_FOUND' });
    await expect(
      h.handlers.residents.execute(
        new RunResidentCommand<EraseResident>('EraseResident', { reference: 'TH000001', reason: 'x' }, h.input(STAFF.reviewer)),
      ),
    ).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
    const { residentId, personal } = await sealedOf('TH000001');
    expect(await h.vault.open(residentId, personal)).toEqual(AMINA);
  });
});
