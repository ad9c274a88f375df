import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@civic/event-store-sqlite';
import { ROOT } from '../testing/cli';

const EVENTS = 300_000;
const dir = mkdtempSync(join(tmpdir(), 'civic-cli-interrupt-'));
const path = join(dir, 'events.sqlite');

beforeAll(async () => {
  const store = new SqliteEventStore({ path });
  for (let i = 0; i < EVENTS; i += 2000) {
    const events = Array.from({ length: 2000 }, (_, k) => ({
      id: randomUUID(),
      type: 'MilestoneReported',
      data: { proposalId: `p${i}`, note: `update ${i + k}` },
    }));
    await store.append(`delivery-p${i}`, events);
  }
  await store.close();
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run -s cli -- audit export, interrupted', () => {
  it('stops on SIGINT between pages, leaves whole lines of a prefix of the history, says so and exits 130', async () => {
    const out = join(dir, 'all.jsonl');
    // Node itself, as the `cli` script runs it, so that the signal reaches the tool and not npm.
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        'apps/cli/src/main.ts',
        'audit',
        'export',
        '--format',
        'jsonl',
        '--out',
        out,
        '--sqlite-path',
        path,
      ],
      { cwd: ROOT },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      // The first progress line: the pass is under way.
      if (/export: \d+\/300000 events/.test(stderr)) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ interrupted: true });
    expect(summary.events).toBeLessThan(EVENTS);
    const lines = readFileSync(out, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(summary.events);
    expect(lines.map((l) => JSON.parse(l).position)).toEqual(Array.from({ length: summary.events }, (_, i) => String(i + 1)));
    expect(code).toBe(130);
  }, 120_000);
});
