import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqlitePersonalDataVault } from './sqlite-personal-data-vault';

const dir = mkdtempSync(join(tmpdir(), 'civic-vault-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const AMINA = { dateOfBirth: '1990-05-17', name: 'Amina Begum' };

/** Every byte the vault keeps on disk: the file and its write-ahead log. */
const bytesOnDisk = (path: string) =>
  Buffer.concat([path, `${path}-wal`, `${path}-journal`].filter(existsSync).map((p) => readFileSync(p)));
const keyOf = (path: string, residentId: string): Buffer => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT key FROM resident_keys WHERE resident_id = ?').get(residentId) as { key: Buffer }).key;
  } finally {
    db.close();
  }
};

describe(SqlitePersonalDataVault.name, () => {
  it('keeps keys across restarts', async () => {
    const path = join(dir, 'restart.sqlite');
    const first = new SqlitePersonalDataVault({ path });
    const sealed = await first.seal('r-1', AMINA);
    first.close();
    const again = new SqlitePersonalDataVault({ path });
    expect(await again.open('r-1', sealed)).toEqual(AMINA);
    again.close();
  });

  it('gives two processes on one file the same key for the same resident', async () => {
    const path = join(dir, 'shared.sqlite');
    const [a, b] = [new SqlitePersonalDataVault({ path }), new SqlitePersonalDataVault({ path })];
    const sealed = await a.seal('r-1', AMINA);
    expect(await b.open('r-1', await b.seal('r-1', AMINA))).toEqual(AMINA);
    expect(await b.open('r-1', sealed)).toEqual(AMINA);
    a.close();
    b.close();
  });

  it('creates the keys asked for at once together: one per resident, the same for a resident asked for twice', async () => {
    const path = join(dir, 'together.sqlite');
    const vault = new SqlitePersonalDataVault({ path });
    const ids = Array.from({ length: 64 }, (_, i) => `r-${i % 32}`);
    const sealed = await Promise.all(ids.map((id) => vault.seal(id, AMINA)));
    for (const [i, id] of ids.entries()) expect(await vault.open(id, sealed[i])).toEqual(AMINA);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM resident_keys').get()).toEqual({ n: 32 });
    db.close();
    vault.close();
  });

  it('refuses a key asked for at the moment the resident is erased', async () => {
    const vault = new SqlitePersonalDataVault({ path: join(dir, 'erasing.sqlite') });
    const asked = vault.seal('r-1', AMINA);
    await vault.destroy('r-1');
    await expect(asked).rejects.toMatchObject({ code: 'RESIDENT.ERASED' });
    vault.close();
  });

  it('leaves no byte of a destroyed key in the files, among many others', async () => {
    const path = join(dir, 'shred.sqlite');
    const vault = new SqlitePersonalDataVault({ path });
    for (let i = 0; i < 500; i++) await vault.seal(`r-${i}`, AMINA);
    const victims = ['r-0', 'r-250', 'r-499'].map((id) => [id, keyOf(path, id)] as const);
    const survivor = keyOf(path, 'r-1');
    for (const [id, key] of victims) (expect(bytesOnDisk(path).indexOf(key)).toBeGreaterThanOrEqual(0), await vault.destroy(id));
    const disk = bytesOnDisk(path);
    for (const [, key] of victims) expect(disk.indexOf(key)).toBe(-1);
    expect(disk.indexOf(survivor)).toBeGreaterThanOrEqual(0);
    vault.close();
    for (const [, key] of victims) expect(bytesOnDisk(path).indexOf(key)).toBe(-1);
  });

  it('leaves no byte of a destroyed key in the files after an import’s groups of keys, checkpointed by the worker meanwhile', async () => {
    const path = join(dir, 'shred-import.sqlite');
    const vault = new SqlitePersonalDataVault({ path });
    // Groups of 2,000 keys: each asks the worker for a checkpoint (about a page a key, 4 MiB a checkpoint).
    for (let group = 0; group < 3; group++) {
      const entries = Array.from({ length: 2000 }, (_, i) => ({ residentId: `r-${group}-${i}`, data: AMINA }));
      expect((await vault.sealNew(entries)).size).toBe(2000);
    }
    const victims = ['r-0-0', 'r-1-1000', 'r-2-1999'].map((id) => [id, keyOf(path, id)] as const);
    const survivor = keyOf(path, 'r-1-1');
    for (const [id] of victims) await vault.destroy(id);
    const disk = bytesOnDisk(path);
    for (const [, key] of victims) expect(disk.indexOf(key)).toBe(-1);
    expect(disk.indexOf(survivor)).toBeGreaterThanOrEqual(0);
    vault.close();
    expect(keyOf(path, 'r-2-1998')).toHaveLength(32);
  });
});
