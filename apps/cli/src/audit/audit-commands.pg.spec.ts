import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { PostgresEventStore } from '@civic/event-store-postgres';
import { cli } from './testing/cli';
import { ERASED, writeFundHistory, type FundHistory } from './testing/fund-history';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `audit_cli_${randomBytes(4).toString('hex')}`;
const pool = new Pool({ connectionString: DATABASE_URL, max: 2 });
const dir = mkdtempSync(join(tmpdir(), 'civic-cli-audit-pg-'));
const store = ['--store', 'postgres', '--database-url', DATABASE_URL, '--schema', schema];
let history: FundHistory;

beforeAll(async () => {
  const events = await PostgresEventStore.connect({ connectionString: DATABASE_URL, schema });
  history = await writeFundHistory(events, 1500);
  await events.close();
}, 240_000);

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run -s cli -- audit replay | recompute | export --store postgres', () => {
  it('replays to a position before voting closed: voting_open, with the ballots counted so far', async () => {
    const { code, stdout } = await cli(['audit', 'replay', ...store, '--as-of', history.midVote.position]);
    const [fund] = JSON.parse(stdout).funds;
    expect(fund.phase).toBe('voting_open');
    const ward = fund.pots.find((p: { potId: string }) => p.potId === 'pot-spitalfields');
    expect(ward.ballots).toBe(Object.keys(history.midVote.counted['pot-spitalfields']).length);
    const benches = Object.values(history.midVote.counted['pot-spitalfields']).filter((picks) => picks.includes('benches')).length;
    expect(ward.tally.find((t: { proposalId: string }) => t.proposalId === 'benches')).toEqual({
      proposalId: 'benches',
      supporters: benches,
      points: benches,
    });
    expect(code).toBe(0);
  }, 60_000);

  it('exports nothing of the erased resident', async () => {
    const out = join(dir, 'pb');
    const [jsonl, pb] = await Promise.all([
      cli(['audit', 'export', '--format', 'jsonl', '--auditor', ...store]),
      cli(['audit', 'export', '--format', 'pb', '--out', out, ...store]),
    ]);
    expect([jsonl.code, pb.code]).toEqual([0, 0]);
    expect(jsonl.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(4500);
    const everything = [jsonl.stdout, pb.stdout, ...readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8'))].join('\n');
    for (const secret of [ERASED.name, ERASED.email, ERASED.dateOfBirth, ERASED.reference]) expect(everything).not.toContain(secret);
  }, 60_000);

  it('reproduces every recorded allocation, then names the proposal of a line altered in the table', async () => {
    const clean = await cli(['audit', 'recompute', ...store]);
    expect(JSON.parse(clean.stdout)).toMatchObject({ ok: true, mismatches: [] });
    expect(clean.code).toBe(0);
    const { rows } = await pool.query<{ data: string }>(
      `SELECT data FROM "${schema}".events WHERE type = 'AllocationRecorded' AND stream_name = 'allocation-pot-borough'`,
    );
    const data = JSON.parse(rows[0].data);
    const line = data.lines.find((l: { funded: boolean }) => !l.funded);
    line.funded = true;
    await pool.query(
      `UPDATE "${schema}".events SET data = $1 WHERE type = 'AllocationRecorded' AND stream_name = 'allocation-pot-borough'`,
      [JSON.stringify(data)],
    );
    const tampered = await cli(['audit', 'recompute', ...store]);
    const report = JSON.parse(tampered.stdout);
    expect(report.ok).toBe(false);
    expect(report.mismatches).toEqual([`pot-borough/${line.proposalId}`]);
    expect(tampered.code).toBe(1);
  }, 60_000);
});
