import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { contactIndexContract } from '../testing/contact-index.contract';
import { inRelationFiles, TEST_DATABASE_URL, testSchema, withClient } from '../testing/postgres-test-schema';
import { PostgresContactIndex } from './postgres-contact-index';

const { url, schema, drop } = testSchema('contacts');
const keys = { hashKey: randomBytes(32), sealKey: randomBytes(32) };
const node = () => new PostgresContactIndex({ connectionString: url, schema, ...keys });
contactIndexContract(PostgresContactIndex.name, async () => node());
afterAll(drop);

const inFiles = (text: string) => inRelationFiles(schema, 'resident_contacts', text);

describe('the contact index of two nodes', () => {
  it('forgets, on every node, a resident erased through one, and keeps no copy of the address hash in its files', async () => {
    const [a, b] = [node(), node()];
    try {
      await Promise.all(
        Array.from({ length: 300 }, (_, i) => a.record({ residentId: `n-${i}`, reference: `N${i}`, email: `n${i}@example.org` })),
      );
      // Recorded last: its row is the newest in its page, whose bytes a plain VACUUM would leave in the page's free space.
      await a.record({ residentId: 'erased-1', reference: 'E1', email: 'erased@example.org' });
      expect(await b.findByEmail('Erased@example.org')).toEqual([{ residentId: 'erased-1', reference: 'E1' }]);
      const hash = b.hash('erased@example.org');
      expect(await inFiles(hash)).toBe(true); // the check sees the hash while the row is there
      await a.remove('erased-1');
      expect(await b.findByEmail('erased@example.org')).toEqual([]);
      expect((await b.all()).map((r) => r.residentId)).not.toContain('erased-1');
      expect(await inFiles(hash)).toBe(false);
      expect(await b.findByEmail('n7@example.org')).toEqual([{ residentId: 'n-7', reference: 'N7' }]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('finishes, at the next erasure sweep, an erasure whose node died after emptying the row', async () => {
    const index = node();
    try {
      await index.record({ residentId: 'half-erased', reference: 'H1', email: 'half@example.org' });
      const hash = index.hash('half@example.org');
      // Where a node that died after the first step of `remove` left it: the row emptied, its old version still in the page.
      await withClient((client) =>
        client.query(`UPDATE ${schema}.resident_contacts SET email_hash = NULL, reference_sealed = '' WHERE resident_id = $1`, [
          'half-erased',
        ]),
      );
      expect(await inFiles(hash)).toBe(true);
      expect((await index.all()).map((r) => r.residentId)).not.toContain('half-erased');
      await index.remove('half-erased');
      expect(await inFiles(hash)).toBe(false);
      const left = await withClient((client) =>
        client.query(`SELECT 1 FROM ${schema}.resident_contacts WHERE resident_id = 'half-erased'`),
      );
      expect(left.rowCount).toBe(0);
    } finally {
      await index.close();
    }
  });

  it('keeps no copy of the hash when another session of the database held an older snapshot through the erasure', async () => {
    const index = node();
    // Any transaction of the database (another node's read, a backup, another schema's work) whose snapshot is older than the erasure.
    const holder = new Client({ connectionString: TEST_DATABASE_URL });
    await holder.connect();
    try {
      await index.record({ residentId: 'held-1', reference: 'HE1', email: 'held@example.org' });
      const hash = index.hash('held@example.org');
      await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await holder.query('SELECT 1'); // its snapshot is taken here, before the erasure
      let removed = false;
      const removing = index.remove('held-1').then(() => (removed = true));
      // Once the row is emptied (the erasure's first step has committed), the old snapshot ends.
      for (;;) {
        const { rows } = await withClient((client) =>
          client.query(`SELECT email_hash FROM ${schema}.resident_contacts WHERE resident_id = 'held-1'`),
        );
        if (rows[0]?.email_hash === null) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(removed).toBe(false);
      await holder.query('COMMIT');
      await removing;
      expect(await inFiles(hash)).toBe(false);
    } finally {
      await holder.end();
      await index.close();
    }
  });

  it('leaves its tombstone to the next erasure sweep when an older snapshot outlasts its wait', async () => {
    const index = new PostgresContactIndex({ connectionString: url, schema, ...keys, snapshotWaitMs: 100 });
    const holder = new Client({ connectionString: TEST_DATABASE_URL });
    await holder.connect();
    const tombstone = () =>
      withClient((client) => client.query(`SELECT email_hash FROM ${schema}.resident_contacts WHERE resident_id = 'outlasted-1'`));
    try {
      await index.record({ residentId: 'outlasted-1', reference: 'OU1', email: 'outlasted@example.org' });
      const hash = index.hash('outlasted@example.org');
      await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await holder.query('SELECT 1');
      await index.remove('outlasted-1');
      expect(await index.findByEmail('outlasted@example.org')).toEqual([]);
      expect((await tombstone()).rows).toEqual([{ email_hash: null }]); // kept: the rewrite may have kept the old version
      await holder.query('COMMIT');
      await index.remove('outlasted-1'); // the sweep at the next start
      expect((await tombstone()).rowCount).toBe(0);
      expect(await inFiles(hash)).toBe(false);
    } finally {
      await holder.end();
      await index.close();
    }
  });
});
