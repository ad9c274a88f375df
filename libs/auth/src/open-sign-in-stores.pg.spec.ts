import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@civic/config';
import { SqliteContactIndex } from './email-code/contact-index';
import { PostgresContactIndex } from './email-code/postgres-contact-index';
import { PostgresSignInCodes } from './email-code/postgres-sign-in-codes';
import { SqliteSignInCodes } from './email-code/sign-in-codes';
import { openSignInStores } from './open-sign-in-stores';
import { PostgresPollCards } from './poll-card/postgres-poll-cards';
import { SqlitePollCards } from './poll-card/sqlite-poll-cards';
import { testSchema, withClient } from './testing/postgres-test-schema';

const dir = mkdtempSync(join(tmpdir(), 'civic-sign-in-stores-'));
const { url, schema, drop } = testSchema('sign_in_stores');
const keys = { hashKey: randomBytes(32), sealKey: randomBytes(32) };
const vaultFile = join(dir, 'keys.sqlite');
const config = (env: Record<string, string>) =>
  loadConfig({ NODE_ENV: 'test', SQLITE_PATH: join(dir, 'events.sqlite'), PERSONAL_DATA_PATH: vaultFile, DATABASE_URL: url, ...env });
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await drop();
  await withClient((client) => client.query(`DROP SCHEMA IF EXISTS ${schema}_vault CASCADE`));
});

it('opens the node’s own files on SQLite, and tables shared by every node on PostgreSQL', async () => {
  const local = await openSignInStores(config({}), keys);
  const shared = await openSignInStores(config({ EVENT_STORE: 'postgres', DATABASE_SCHEMA: schema }), keys);
  // Sessions shared but keys not: a code must be sent by the node that can find the resident and open their address.
  const sessionsOnly = await openSignInStores(config({ EVENT_STORE: 'postgres', DATABASE_SCHEMA: schema, VAULT_STORE: 'sqlite' }), keys);
  try {
    expect([sessionsOnly.signInCodes, sessionsOnly.contacts, sessionsOnly.pollCards].map((s) => s.constructor)).toEqual([
      SqliteSignInCodes,
      SqliteContactIndex,
      SqlitePollCards,
    ]);
    expect([local.signInCodes, local.contacts, local.pollCards].map((s) => s.constructor)).toEqual([
      SqliteSignInCodes,
      SqliteContactIndex,
      SqlitePollCards,
    ]);
    expect([shared.signInCodes, shared.contacts, shared.pollCards].map((s) => s.constructor)).toEqual([
      PostgresSignInCodes,
      PostgresContactIndex,
      PostgresPollCards,
    ]);
  } finally {
    await Promise.all([local, shared, sessionsOnly].flatMap((s) => [s.signInCodes.close(), s.contacts.close(), s.pollCards.close()]));
  }
});

it('moves a node’s own contact index and poll cards into the shared ones at its start, and deletes its copies', async () => {
  const ownIndex = new SqliteContactIndex({ path: vaultFile, ...keys });
  await ownIndex.record({ residentId: 'r-1', reference: 'REF1', email: 'one@example.org' });
  await ownIndex.record({ residentId: 'r-2', reference: 'REF2' });
  await ownIndex.close();
  const ownCards = new SqlitePollCards({ path: vaultFile });
  await ownCards.issueAll(
    'f',
    [
      { residentId: 'r-1', codeHash: 'old' },
      { residentId: 'r-2', codeHash: 'h2' },
    ],
    1_000,
  );
  await ownCards.revoke('f', 'r-2', 1_500);
  await ownCards.issueAll('g', [{ residentId: 'r-1', codeHash: 'g1' }], 1_000);
  await ownCards.close();
  // Generated again through another node, already sharing: that newer card stands.
  const other = new PostgresPollCards({ connectionString: url, schema: `${schema}_vault` });
  await other.issueAll('f', [{ residentId: 'r-1', codeHash: 'newer' }], 2_000);
  await other.close();

  const postgres = config({ EVENT_STORE: 'postgres', DATABASE_SCHEMA: schema });
  for (let start = 0; start < 2; start++) {
    const opened = await openSignInStores(postgres, keys);
    try {
      expect(await opened.contacts.findByEmail('One@example.org')).toEqual([{ residentId: 'r-1', reference: 'REF1' }]);
      expect((await opened.contacts.all()).map((r) => r.residentId).sort()).toEqual(['r-1', 'r-2']);
      expect((await opened.pollCards.activeFor('r-1')).sort((a, b) => a.fundId.localeCompare(b.fundId))).toEqual([
        { fundId: 'f', codeHash: 'newer' },
        { fundId: 'g', codeHash: 'g1' },
      ]);
      expect(await opened.pollCards.activeFor('r-2')).toEqual([]);
    } finally {
      await Promise.all([opened.signInCodes.close(), opened.contacts.close(), opened.pollCards.close()]);
    }
  }
  const left = new SqliteContactIndex({ path: vaultFile, ...keys });
  const leftCards = new SqlitePollCards({ path: vaultFile });
  expect([await left.all(), leftCards.rows()]).toEqual([[], []]);
  await Promise.all([left.close(), leftCards.close()]);
});
