import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * `npm start` as a fresh machine runs it: `nest build api`, then the compiled server
 * (scripts/start-api.js). On an empty store it seeds the demo and answers /health and
 * /graphql; stopped and started again, it reuses the store without seeding twice.
 */
const root = join(__dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'civic-start-'));
const env = {
  ...process.env,
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
  SQLITE_PATH: join(dir, 'events.sqlite'),
  READ_MODEL_PATH: join(dir, 'read-models.sqlite'),
  PERSONAL_DATA_PATH: join(dir, 'personal-data.sqlite'),
};

/** Starts the server on a port the system picks (PORT=0); resolves with the address it printed. */
async function start(): Promise<{ url: string; stdout: () => string; stop: () => Promise<number | string> }> {
  const child = spawn(process.execPath, ['scripts/start-api.js'], {
    cwd: root,
    env: { ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const deadline = Date.now() + 90_000;
  while (!out.includes('listening on')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not listen:\n${out}\n${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const port = /listening on http:\/\/localhost:(\d+)/.exec(out)![1];
  return {
    url: `http://127.0.0.1:${port}`,
    stdout: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('builds, seeds the demo on an empty store, serves it, and reuses the store on the next start', async () => {
  await promisify(execFile)('npx', ['nest', 'build', 'api'], { cwd: root, env });
  const funds = async (url: string) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ funds { name phase } }' }),
    });
    return ((await res.json()) as { data: { funds: { name: string; phase: string }[] } }).data.funds;
  };

  const first = await start();
  expect(first.stdout()).toMatch(/seeding the demo/);
  expect(first.stdout()).toMatch(/demo: \d+ residents in 20 wards/);
  expect(first.stdout()).toMatch(/sign in as resident TH-\d{6}/);
  expect(((await (await fetch(`${first.url}/health`)).json()) as { status: string }).status).toBe('ok');
  const seeded = await funds(first.url);
  expect(seeded.map((f) => f.phase).sort()).toEqual(['delivery', 'proposals_open', 'voting_open']);
  expect(await first.stop()).toBe(0);

  // Each start suggests signing in as a resident who is on the register: the demo's, both times.
  const suggested = (out: string) => /devSignIn\(role: resident, subject: \\"([^"\\]+)\\"\)/.exec(out)?.[1];
  expect(suggested(first.stdout())).toMatch(/^TH-\d{6}$/);

  const second = await start();
  expect(second.stdout()).not.toMatch(/seeding/);
  expect(suggested(second.stdout())).toBe(suggested(first.stdout()));
  // The second start names the same resident, who is on the register.
  expect(second.stdout().match(/sign in as resident (TH-\d{6})/)?.[1]).toBe(first.stdout().match(/sign in as resident (TH-\d{6})/)?.[1]);
  expect(await funds(second.url)).toEqual(seeded);
  expect(await second.stop()).toBe(0);
}, 240_000);
