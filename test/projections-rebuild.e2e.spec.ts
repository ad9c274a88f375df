import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { openSchedule, startApi } from './support/api-client';

const run = promisify(execFile);
const cli = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', ...args], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, ...env },
  }).then(
    ({ stdout }) => ({ code: 0, report: JSON.parse(stdout) }),
    (err: { code: number; stdout: string }) => ({ code: err.code, report: JSON.parse(err.stdout) }),
  );

describe('projections rebuild (a command rebuilds the read models from zero)', () => {
  it('rebuilds a copy equal to the live read models, detects a damaged one, and repairs it', async () => {
    const api = await startApi();
    const admin = await api.signIn('administrator', 'admin-1');
    const created = await api.gql(
      `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
      { i: { name: 'Fund', description: 'A fund.', schedule: openSchedule() } },
      admin,
    );
    const fundId = created.data.createFund.fund.id;
    await api.gql(
      `mutation($i: AddPotInput!) { addPot(input: $i) { fund { id } } }`,
      { i: { fundId, name: 'Borough-wide', budget: '100000', rule: 'greedy_by_votes', ballot: { kind: 'knapsack' } } },
      admin,
    );
    await api.stop({ keepFiles: true });
    const env = { SQLITE_PATH: api.sqlitePath, LOG_LEVEL: 'silent' };
    const readModelPath = join(api.dir, 'read-models.sqlite');

    const clean = await cli(['projections', 'rebuild', '--check'], env);
    expect(clean).toMatchObject({ code: 0, report: { ok: true, differences: [] } });
    expect(clean.report.tables).toMatchObject({ funds: 1, pots: 1 });

    const db = new Database(readModelPath);
    db.prepare(`UPDATE funds SET name = 'Tampered'`).run();
    db.close();
    const damaged = await cli(['projections', 'rebuild', '--check'], env);
    expect(damaged).toMatchObject({ code: 1, report: { ok: false, differences: ['table funds differs'] } });

    expect((await cli(['projections', 'rebuild'], env)).code).toBe(0);
    expect((await cli(['projections', 'rebuild', '--check'], env)).report.ok).toBe(true);
    const repaired = new Database(readModelPath, { readonly: true });
    expect(repaired.prepare(`SELECT name FROM funds`).get()).toEqual({ name: 'Fund' });
    repaired.close();
  }, 120_000);
});
