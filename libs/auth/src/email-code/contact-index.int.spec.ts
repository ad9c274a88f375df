import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contactIndexContract } from '../testing/contact-index.contract';
import { SqliteContactIndex } from './contact-index';

const dir = mkdtempSync(join(tmpdir(), 'civic-contacts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const options = { path: join(dir, 'keys.sqlite'), hashKey: randomBytes(32), sealKey: randomBytes(32) };
contactIndexContract(SqliteContactIndex.name, async () => new SqliteContactIndex(options));

describe(`${SqliteContactIndex.name} in its own file`, () => {
  it('keeps every entry of an import’s groups, checkpointed by its worker meanwhile, and none of a removed one, across a restart', async () => {
    const own = { ...options, path: join(dir, 'import.sqlite') };
    const index = new SqliteContactIndex(own);
    // Groups of 2,000 rows: each asks the worker for a checkpoint (about a page a row, 4 MiB a checkpoint).
    for (let group = 0; group < 3; group++)
      await index.recordAll(
        Array.from({ length: 2000 }, (_, i) => ({
          residentId: `r-${group}-${i}`,
          reference: `R-${group}-${i}`,
          email: `${group}-${i}@example.org`,
        })),
      );
    await index.remove('r-1-7');
    await index.close();
    const reopened = new SqliteContactIndex(own);
    expect(await reopened.all()).toHaveLength(5999);
    expect(await reopened.findByEmail('2-1999@example.org')).toEqual([{ residentId: 'r-2-1999', reference: 'R-2-1999' }]);
    expect(await reopened.findByEmail('1-7@example.org')).toEqual([]);
    await reopened.close();
  });
});
