import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChainedEventStore, FileWitness } from '@civic/audit';
import { EventStoreDbEventStore } from '@civic/event-store-eventstoredb';
// Relative until tsconfig maps `@civic/audit/*` (as it does `@civic/event-store/*`).
import { testSigningKey, writeHistory } from '../../../../libs/audit/src/testing';
import { cli } from './testing/cli';
import { writeFundHistory, type FundHistory } from './testing/fund-history';

/**
 * `npm run test:eventstoredb`: the audit commands against a real EventStoreDB. Each history is
 * written in a namespace of its own (the adapter's stream prefix), which the CLI is given.
 */
const url = process.env.EVENTSTOREDB_URL;

if (!url) {
  const reason = 'EVENTSTOREDB_URL is not set, so there is no EventStoreDB server to run the audit commands against';
  process.stdout.write(`Skipping the CLI audit suite on EventStoreDB: ${reason}.\n`);
  describe.skip(`npm run -s cli -- audit … --store eventstoredb (skipped: ${reason})`, () => {
    it('runs against a real server', () => undefined);
  });
} else {
  const dir = mkdtempSync(join(tmpdir(), 'civic-cli-audit-esdb-'));
  const key = testSigningKey();
  const publicKeyFile = join(dir, 'audit-public.pem');
  writeFileSync(publicKeyFile, key.publicPem);
  const witnessFile = join(dir, 'witness.jsonl');
  const chained = `t${randomBytes(4).toString('hex')}_`;
  const fund = `t${randomBytes(4).toString('hex')}_`;
  const store = (namespace: string) => ['--store', 'eventstoredb', '--eventstoredb-url', url, '--eventstoredb-namespace', namespace];
  let history: FundHistory;

  beforeAll(async () => {
    const events = new ChainedEventStore(await EventStoreDbEventStore.connect({ connectionString: url, namespace: chained }));
    await writeHistory({ store: events, key, witness: new FileWitness(witnessFile), voters: 60 });
    await events.close();
    const funds = await EventStoreDbEventStore.connect({ connectionString: url, namespace: fund });
    history = await writeFundHistory(funds, 300);
    await funds.close();
  }, 240_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('npm run -s cli -- audit … --store eventstoredb', () => {
    it('verify passes the clean chained history, against the auditor’s copy of the witness', async () => {
      const verify = await cli(['audit', 'verify', ...store(chained), '--public-key', publicKeyFile, '--witness', witnessFile]);
      expect({ code: verify.code, report: JSON.parse(verify.stdout) }).toMatchObject({
        code: 0,
        report: { ok: true, failures: [], checkpointsChecked: expect.any(Number), eventsChecked: expect.any(Number) },
      });
    }, 120_000);

    it('replay to a position mid-vote, recompute and export read the fund through the port', async () => {
      const replay = await cli(['audit', 'replay', ...store(fund), '--as-of', history.midVote.position]);
      expect(JSON.parse(replay.stdout).funds[0].phase).toBe('voting_open');
      const recompute = await cli(['audit', 'recompute', ...store(fund)]);
      expect(JSON.parse(recompute.stdout)).toMatchObject({ ok: true, mismatches: [] });
      const exported = await cli(['audit', 'export', '--format', 'jsonl', '--auditor', ...store(fund)]);
      expect(exported.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(300);
      expect([replay.code, recompute.code, exported.code]).toEqual([0, 0, 0]);
    }, 180_000);
  });
}
