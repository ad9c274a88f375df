import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { ChainedEventStore, PgWitness } from '@civic/audit';
import { PostgresEventStore } from '@civic/event-store-postgres';
// Relative until tsconfig maps `@civic/audit/*` (as it does `@civic/event-store/*`).
import { testSigningKey, writeHistory } from '../../../../../libs/audit/src/testing';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `audit_cli_${randomBytes(4).toString('hex')}`;
const pool = new Pool({ connectionString: DATABASE_URL, max: 2 });
const dir = mkdtempSync(join(tmpdir(), 'civic-cli-audit-pg-'));
const key = testSigningKey();
const publicKeyFile = join(dir, 'audit-public.pem');
writeFileSync(publicKeyFile, key.publicPem);

function cli(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', 'cli', '--', ...args], { cwd: join(__dirname, '../../../../..') });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

beforeAll(async () => {
  const store = new ChainedEventStore(await PostgresEventStore.connect({ connectionString: DATABASE_URL, schema }));
  await writeHistory({ store, key, witness: new PgWitness(pool, schema), voters: 40 });
  await store.close();
}, 60_000);

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run -s cli -- audit verify --store postgres', () => {
  const args = () => [
    'audit',
    'verify',
    '--store',
    'postgres',
    '--database-url',
    DATABASE_URL,
    '--schema',
    schema,
    '--public-key',
    publicKeyFile,
  ];

  it('passes the clean history and exits 0, then names a deleted checkpoint from the witness table and exits 1', async () => {
    const clean = await cli(args());
    expect(JSON.parse(clean.stdout)).toMatchObject({ ok: true, failures: [] });
    expect(clean.code).toBe(0);
    await pool.query(`DELETE FROM "${schema}".events WHERE stream_name = 'audit-checkpoints' AND revision = 0`);
    const cut = await cli(args());
    const report = JSON.parse(cut.stdout);
    expect(report.ok).toBe(false);
    expect(report.failures.map((f: { code: string }) => f.code)).toContain('AUDIT.CHECKPOINT_MISSING');
    expect(cut.code).toBe(1);
  }, 120_000);
});
