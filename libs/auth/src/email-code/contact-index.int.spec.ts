import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteContactIndex } from './contact-index';

describe(SqliteContactIndex.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'civic-contacts-'));
  const path = join(dir, 'keys.sqlite');
  const options = { path, hashKey: randomBytes(32), sealKey: randomBytes(32) };
  let sut: SqliteContactIndex;
  beforeEach(() => (sut = new SqliteContactIndex(options)));
  afterEach(() => sut.close());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every resident recorded at once (as a register import records them), durably, and finds them by address', async () => {
    const entries = Array.from({ length: 500 }, (_, i) => ({
      residentId: `r-${i}`,
      reference: `REF${i}`,
      email: `family-${i % 250}@example.org`,
    }));
    await Promise.all(entries.map((e) => sut.record(e)));
    await sut.close();
    sut = new SqliteContactIndex(options);
    expect((await sut.all()).length).toBe(500);
    expect((await sut.findByEmail(' Family-7@EXAMPLE.org ')).map((r) => r.reference).sort()).toEqual(['REF257', 'REF7']);
  });

  it('keeps the latest address of a resident recorded twice, and forgets an erased one', async () => {
    await sut.record({ residentId: 'r-1', reference: 'REF1', email: 'old@example.org' });
    await Promise.all([
      sut.record({ residentId: 'r-2', reference: 'REF2' }),
      sut.record({ residentId: 'r-1', reference: 'REF1', email: 'new@example.org' }),
    ]);
    expect(await sut.findByEmail('old@example.org')).toEqual([]);
    expect(await sut.findByEmail('new@example.org')).toEqual([{ residentId: 'r-1', reference: 'REF1' }]);
    await sut.remove('r-1');
    expect(await sut.findByEmail('new@example.org')).toEqual([]);
  });
});
