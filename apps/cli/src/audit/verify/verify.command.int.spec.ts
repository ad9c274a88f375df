import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChainedEventStore, defaultWitnessPath, FileWitness } from '@civic/audit';
// Relative until tsconfig maps `@civic/audit/*` (as it does `@civic/event-store/*`).
import { alterData, testSigningKey, writeHistory } from '../../../../../libs/audit/src/testing';
import { SqliteEventStore } from '@civic/event-store-sqlite';

const root = join(__dirname, '../../../../..');
const dir = mkdtempSync(join(tmpdir(), 'civic-cli-audit-'));
const key = testSigningKey();
const publicKeyFile = join(dir, 'audit-public.pem');
writeFileSync(publicKeyFile, key.publicPem);

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', 'cli', '--', ...args], { cwd: root, env: { ...process.env, EVENT_STORE: 'sqlite' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function history(name: string): Promise<string> {
  const path = join(dir, name);
  const store = new ChainedEventStore(new SqliteEventStore({ path }));
  await writeHistory({ store, key, witness: new FileWitness(defaultWitnessPath(path)), voters: 60 });
  await store.close();
  return path;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run -s cli -- audit verify', () => {
  it('prints a clean report and exits 0 on an untouched history', async () => {
    const path = await history('clean.sqlite');
    const { code, stdout } = await cli(['audit', 'verify', '--sqlite-path', path, '--public-key', publicKeyFile]);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ ok: true, failures: [], lastCheckpoint: { sequence: expect.any(Number) } });
    expect(report.eventsChecked).toBeGreaterThan(60);
    expect(code).toBe(0);
  }, 60_000);

  it('names the altered event in its JSON report and exits 1', async () => {
    const path = await history('tampered.sqlite');
    const victim = alterData(path, `stream_name = 'ballot-pot1-v7'`, (data) => data.replace('"p', '"P'));
    const { code, stdout } = await cli(['audit', 'verify', '--store', 'sqlite', '--sqlite-path', path, '--public-key', publicKeyFile]);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(false);
    expect(report.failures[0]).toEqual({
      code: 'AUDIT.HASH_MISMATCH',
      position: String(victim.position),
      streamName: 'ballot-pot1-v7',
      revision: 0,
      eventId: victim.event_id,
      message: expect.stringContaining(victim.event_id),
    });
    expect(code).toBe(1);
  }, 60_000);

  it('exits 2 on bad options', async () => {
    const { code, stderr } = await cli(['audit', 'verify', '--nope']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Usage: cli audit verify/);
  }, 60_000);
});
