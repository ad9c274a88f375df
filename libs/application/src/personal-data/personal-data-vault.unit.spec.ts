import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersonalData } from '@civic/domain';
import type { PersonalDataVault } from '../ports/personal-data-vault.port';
import { InMemoryPersonalDataVault } from './in-memory-personal-data-vault';
import { SqlitePersonalDataVault } from './sqlite-personal-data-vault';

const AMINA: PersonalData = {
  dateOfBirth: '1990-05-17',
  name: 'Amina Begum',
  address: '12 Brick Lane, London E1 6RF',
  email: 'amina@example.org',
};
const dir = mkdtempSync(join(tmpdir(), 'civic-vault-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

// One contract for both vaults: the in-memory one of the unit tests and the SQLite file.
describe.each([
  ['InMemoryPersonalDataVault', () => ({ vault: new InMemoryPersonalDataVault() as PersonalDataVault, close: () => undefined })],
  [
    'SqlitePersonalDataVault',
    () => {
      const vault = new SqlitePersonalDataVault({ path: join(dir, `keys-${++n}.sqlite`) });
      return { vault: vault as PersonalDataVault, close: () => vault.close() };
    },
  ],
])('%s', (_, create) => {
  let sut: PersonalDataVault;
  let close: () => void;
  beforeEach(() => ({ vault: sut, close } = create()));
  afterEach(() => close());

  it('opens what it sealed, and seals the same data differently each time (random IV)', async () => {
    const first = await sut.seal('r-1', AMINA);
    const second = await sut.seal('r-1', AMINA);
    expect(first.keyId).toBe('r-1');
    expect(first.ciphertext).not.toBe(second.ciphertext);
    expect(await sut.open('r-1', first)).toEqual(AMINA);
    expect(await sut.open('r-1', second)).toEqual(AMINA);
  });

  it('holds nothing in clear in the sealed value', async () => {
    const sealed = JSON.stringify(await sut.seal('r-1', AMINA));
    for (const value of Object.values(AMINA)) expect(sealed).not.toContain(value);
  });

  it("refuses to open another resident's value or an altered one", async () => {
    const sealed = await sut.seal('r-1', AMINA);
    await sut.seal('r-2', AMINA);
    await expect(sut.open('r-2', { ...sealed, keyId: 'r-2' })).rejects.toThrow();
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[bytes.length - 1] ^= 1;
    await expect(sut.open('r-1', { ...sealed, ciphertext: bytes.toString('base64') })).rejects.toThrow();
  });

  it('keeps one key per resident: destroying one leaves the others readable', async () => {
    const one = await sut.seal('r-1', AMINA);
    const two = await sut.seal('r-2', { dateOfBirth: '1970-01-01' });
    await sut.destroy('r-1');
    expect(await sut.open('r-1', one)).toBeUndefined();
    expect(await sut.open('r-2', two)).toEqual({ dateOfBirth: '1970-01-01' });
  });

  it('refuses an erased resident a new key, and destroys idempotently', async () => {
    await sut.seal('r-1', AMINA);
    await sut.destroy('r-1');
    await sut.destroy('r-1');
    await sut.destroy('never-sealed');
    await expect(sut.seal('r-1', AMINA)).rejects.toMatchObject({ code: 'RESIDENT.ERASED' });
  });

  it('answers undefined for a resident it has no key for', async () =>
    expect(await sut.open('r-9', await create().vault.seal('r-9', AMINA))).toBeUndefined());

  it('seals in one write only residents new to it: a known or erased resident is left out, and keeps its key', async () => {
    const known = await sut.seal('r-known', AMINA);
    await sut.seal('r-erased', AMINA);
    await sut.destroy('r-erased');
    const sealed = await sut.sealNew!(['r-new1', 'r-known', 'r-erased', 'r-new2'].map((residentId) => ({ residentId, data: AMINA })));
    expect([...sealed.keys()]).toEqual(['r-new1', 'r-new2']);
    expect(await sut.open('r-new1', sealed.get('r-new1')!)).toEqual(AMINA);
    expect(await sut.open('r-known', known)).toEqual(AMINA);
    await expect(sut.seal('r-erased', AMINA)).rejects.toMatchObject({ code: 'RESIDENT.ERASED' });
    // Sealed again: the key made at once is the one kept.
    expect(await sut.open('r-new2', await sut.seal('r-new2', AMINA))).toEqual(AMINA);
  });

  it('discards keys made for records never written, without taking them for erasures', async () => {
    const sealed = await sut.sealNew!([{ residentId: 'r-1', data: AMINA }]);
    await sut.seal('r-erased', AMINA);
    await sut.destroy('r-erased');
    await sut.discardNew!(['r-1', 'r-erased']);
    expect(await sut.open('r-1', sealed.get('r-1')!)).toBeUndefined();
    expect(await sut.open('r-1', await sut.seal('r-1', AMINA))).toEqual(AMINA);
    await expect(sut.seal('r-erased', AMINA)).rejects.toMatchObject({ code: 'RESIDENT.ERASED' });
  });
});
