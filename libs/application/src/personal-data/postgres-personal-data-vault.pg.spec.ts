import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { isDomainError } from '@civic/domain';
import { PostgresPersonalDataVault } from './postgres-personal-data-vault';

jest.setTimeout(60_000);

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `vault_test_${randomBytes(4).toString('hex')}`;
const AMINA = { dateOfBirth: '1990-05-17', name: 'Amina Begum' };

/** Two API nodes: two vaults, each with its own pool, on the same schema. */
const node = () => new PostgresPersonalDataVault({ connectionString: DATABASE_URL, schema: SCHEMA, poolSize: 4 });
let a: PostgresPersonalDataVault;
let b: PostgresPersonalDataVault;
let admin: Client;

beforeAll(async () => {
  admin = new Client({ connectionString: DATABASE_URL });
  await admin.connect();
  [a, b] = [node(), node()];
  await Promise.all([a.ready(), b.ready()]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await admin?.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin?.end();
});

const rowOf = async (residentId: string) =>
  (await admin.query<{ key: Buffer | null }>(`SELECT key FROM ${SCHEMA}.resident_keys WHERE resident_id = $1`, [residentId])).rows;

describe(PostgresPersonalDataVault.name, () => {
  it('opens on one node what another sealed (a resident imported through one node votes through the other)', async () => {
    const sealed = await a.seal('r-1', AMINA);
    expect(await b.open('r-1', sealed)).toEqual(AMINA);
    const again = node();
    expect(await again.open('r-1', sealed)).toEqual(AMINA); // a restart keeps the key
    await again.close();
  });

  it('gives two nodes creating the same resident’s key at the same moment one key', async () => {
    // Both nodes ask in the same turn: each sends its own insert; the primary key lets one win, and both read it back.
    const ids = Array.from({ length: 50 }, (_, i) => `same-${i}`);
    const [fromA, fromB] = await Promise.all([
      Promise.all(ids.map((id) => a.seal(id, AMINA))),
      Promise.all(ids.map((id) => b.seal(id, AMINA))),
    ]);
    for (const [i, id] of ids.entries()) {
      expect(await a.open(id, fromB[i])).toEqual(AMINA);
      expect(await b.open(id, fromA[i])).toEqual(AMINA);
    }
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.resident_keys WHERE resident_id LIKE 'same-%'`);
    expect(rows[0].n).toBe(50);
  });

  it('erases on every node at once: the key is gone from the table, nothing opens, and no node gives the resident a new key', async () => {
    const sealed = await a.seal('r-erase', AMINA);
    expect(await b.open('r-erase', sealed)).toEqual(AMINA);
    await b.destroy('r-erase');
    expect(await rowOf('r-erase')).toEqual([{ key: null }]);
    expect(await a.open('r-erase', sealed)).toBeUndefined();
    const refused = await a.seal('r-erase', AMINA).catch((e: unknown) => e);
    expect(isDomainError(refused) && refused.code).toBe('RESIDENT.ERASED');
    await b.destroy('r-erase'); // idempotent
    expect(await rowOf('r-erase')).toEqual([{ key: null }]);
  });

  it('refuses a key to a resident erased on one node while another node is creating it, whichever commits first', async () => {
    for (let round = 0; round < 20; round++) {
      const id = `race-${round}`;
      // Forced interleaving: the creation is asked for (it runs on the next turn) and the erasure starts in the same turn.
      const creating = a.seal(id, AMINA).then(
        () => 'sealed',
        (e: unknown) => (isDomainError(e) ? e.code : 'failed'),
      );
      const erasing = b.destroy(id);
      const [outcome] = await Promise.all([creating, erasing]);
      expect(['sealed', 'RESIDENT.ERASED']).toContain(outcome);
      // After both, the resident is erased for good: no key, on either node.
      expect(await rowOf(id)).toEqual([{ key: null }]);
      const again = await b.seal(id, AMINA).catch((e: unknown) => e);
      expect(isDomainError(again) && again.code).toBe('RESIDENT.ERASED');
    }
  });

  it('seals for residents new to every node in one statement, leaving out one known or erased, and discards without erasing', async () => {
    const known = await a.seal('bulk-known', AMINA);
    await a.seal('bulk-erased', AMINA);
    await a.destroy('bulk-erased');
    const ids = ['bulk-1', 'bulk-known', 'bulk-erased', 'bulk-2'];
    const [fromA, fromB] = await Promise.all([
      a.sealNew(ids.map((residentId) => ({ residentId, data: AMINA }))),
      b.sealNew(ids.map((residentId) => ({ residentId, data: AMINA }))),
    ]);
    // Two nodes at once: each new resident's key was made by exactly one of them.
    expect([...fromA.keys(), ...fromB.keys()].sort()).toEqual(['bulk-1', 'bulk-2']);
    expect(await b.open('bulk-1', (fromA.get('bulk-1') ?? fromB.get('bulk-1'))!)).toEqual(AMINA);
    expect(await b.open('bulk-known', known)).toEqual(AMINA);
    await a.discardNew(['bulk-1', 'bulk-erased']);
    expect(await rowOf('bulk-1')).toEqual([]);
    expect(await rowOf('bulk-erased')).toEqual([{ key: null }]);
    await expect(b.seal('bulk-erased', AMINA)).rejects.toMatchObject({ code: 'RESIDENT.ERASED' });
  });

  it('refuses a schema name that is not a plain identifier', () => {
    expect(() => new PostgresPersonalDataVault({ connectionString: DATABASE_URL, schema: 'x; DROP TABLE y' })).toThrow(/VAULT_SCHEMA/);
  });
});
