import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditTrail } from '../apps/api/src/audit-log/audit-trail';
import { AUDIT_TRAIL } from '../apps/api/src/tokens';
import { cli } from '../apps/cli/src/audit/testing/cli';
import { startApi } from './support/api-client';
import { ok } from './support/voting-fund';

type Api = Awaited<ReturnType<typeof startApi>>;

const dir = mkdtempSync(join(tmpdir(), 'civic-witness-'));
const backup = mkdtempSync(join(tmpdir(), 'civic-witness-backup-'));
const state = join(backup, 'witness-copy.jsonl');
const STORE_FILES = ['events.sqlite', 'events.sqlite.witness.jsonl'];

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(backup, { recursive: true, force: true });
});

const start = () => startApi({ SEED_DEMO: 'false' }, { dir });
/** Some events (funds created), then a signed checkpoint over them. */
async function grow(api: Api, names: string[]): Promise<void> {
  const admin = await api.signIn('administrator', 'admin-1');
  const schedule = {
    proposalsOpenAt: '2030-01-01T00:00:00Z',
    reviewStartsAt: '2030-02-01T00:00:00Z',
    votingOpensAt: '2030-03-01T00:00:00Z',
    votingClosesAt: '2030-04-01T00:00:00Z',
  };
  for (const name of names)
    ok(
      await api.gql(
        `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
        { i: { name, description: name, schedule } },
        admin,
      ),
    );
  await api.app.get<AuditTrail>(AUDIT_TRAIL).checkpointer.checkpointNow();
}
const witness = async (api: Api) => {
  const run = await cli(['audit', 'witness', '--url', api.url, '--state', state]);
  return { code: run.code, out: JSON.parse(run.stdout) };
};
const stop = (api: Api) => api.stop({ keepFiles: true });
/** How many signed checkpoints the API serves (a stop may add one over the tail). */
const served = async (api: Api) =>
  ok(await api.gql(`{ checkpoints(first: 500) { checkpoints { sequence } } }`)).checkpoints.checkpoints.length;

it('follows the signed checkpoints as the log grows, and exits non-zero when the store is rewound, then rewritten', async () => {
  let api = await start();
  const publicKey = join(backup, 'audit-public.pem');
  writeFileSync(publicKey, ok(await api.gql(`{ auditKey { publicKeyPem } }`)).auditKey.publicKeyPem);
  await grow(api, ['Fund A', 'Fund B']);
  await grow(api, ['Fund C']);
  await stop(api);
  for (const f of STORE_FILES) if (existsSync(join(dir, f))) copyFileSync(join(dir, f), join(backup, f));

  api = await start();
  await grow(api, ['Fund D']);
  const before = await served(api);
  expect(await witness(api)).toMatchObject({ code: 0, out: { ok: true, added: before, seen: before } });
  await grow(api, ['Fund E', 'Fund F']);
  const after = await served(api);
  expect(await witness(api)).toMatchObject({
    code: 0,
    out: { ok: true, added: after - before, seen: after, last: { sequence: after - 1 } },
  });
  const kept = readFileSync(state, 'utf8').trim().split('\n');
  // The same feed over plain HTTP.
  const rest = (await (await fetch(`${api.url}/transparency/checkpoints?first=500`)).json()) as { checkpoints: { merkleRoot: string }[] };
  expect(rest.checkpoints.map((c) => c.merkleRoot)).toEqual(kept.map((l) => JSON.parse(l).merkleRoot));
  const bad = await fetch(`${api.url}/transparency/consistency?fromSize=5&toSize=2`);
  expect([bad.status, ((await bad.json()) as { error: { code: string } }).error.code]).toEqual([400, 'INPUT.INVALID']);
  expect(kept.map((l) => JSON.parse(l).sequence)).toEqual(Array.from({ length: after }, (_, i) => i));
  await stop(api);
  // The copy is an auditor's witness: the history it saw verifies against it.
  const verify = await cli(['audit', 'verify', '--sqlite-path', join(dir, 'events.sqlite'), '--public-key', publicKey, '--witness', state]);
  expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });

  // Rewound: the store and its own witness file put back as they were two checkpoints ago.
  for (const f of STORE_FILES) copyFileSync(join(backup, f), join(dir, f));
  for (const f of ['read-models.sqlite', 'read-models.sqlite-wal', 'read-models.sqlite-shm']) rmSync(join(dir, f), { force: true });
  api = await start();
  const rewound = await witness(api);
  expect(rewound).toMatchObject({ code: 1, out: { error: { code: 'WITNESS.LOG_REWOUND' } } });
  // Rewritten: new events and checkpoints signed with the same key where the witness saw others.
  for (let i = 0; (await served(api)) < after; i++) await grow(api, [`Fund X${i}`]);
  const forked = await witness(api);
  expect(forked).toMatchObject({ code: 1, out: { error: { code: 'WITNESS.LOG_FORKED' } } });
  expect(readFileSync(state, 'utf8').trim().split('\n')).toEqual(kept);
  await stop(api);
}, 240_000);
