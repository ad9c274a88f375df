import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One writer per SQLite store, on real processes: while an API runs on a store, a second API on
 * the same files and a `projections rebuild` are refused (exit non-zero, `STORE.LOCKED`, naming
 * the running one); the readers (`projections rebuild --check`, `audit verify`) work beside it;
 * after the API is killed with SIGKILL (no cleanup), the next start takes the store at once.
 */
const root = join(__dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'civic-one-writer-'));
const files = {
  SQLITE_PATH: join(dir, 'events.sqlite'),
  READ_MODEL_PATH: join(dir, 'read-models.sqlite'),
  PERSONAL_DATA_PATH: join(dir, 'personal-data.sqlite'),
};
const env = { ...process.env, ...files, HOST: '127.0.0.1', PORT: '0', NODE_ENV: 'test', LOG_LEVEL: 'silent', SEED_DEMO: 'false' };
const tsNode = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];

type Started = { child: ChildProcess; url: string; exited: Promise<number | string> };
type Refused = { code: number | string; stderr: string };

/** Starts the API as a process; resolves once it listens, or with its exit code and stderr if it stops first. */
const children: ChildProcess[] = [];

function startApi(extraEnv: Record<string, string> = {}): Promise<Started | Refused> {
  const child = spawn(process.execPath, [...tsNode, 'apps/api/src/main.ts'], {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const port = /listening on http:\/\/localhost:(\d+)/.exec(out)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}/graphql`, exited });
    });
    void exited.then((code) => resolve({ code, stderr: err }));
  });
}

function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [...tsNode, 'apps/cli/src/main.ts', ...args], { cwd: root, env }, (err, stdout) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }),
    ),
  );
}

async function gql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: { extensions: { code: string } }[] };
}

function listening(s: Started | Refused): Started {
  if ('url' in s) return s;
  throw new Error(`the API did not start (${s.code}): ${s.stderr}`);
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('refuses a second API and a rebuild beside a running API, serves its readers, and recovers from a SIGKILL at once', async () => {
  const first = listening(await startApi());
  try {
    const admin = (await gql(first.url, `mutation { devSignIn(role: administrator, subject: "admin-1") { token } }`)).data.devSignIn.token;
    const created = await gql(
      first.url,
      `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
      {
        i: {
          name: 'Fund',
          description: 'A fund.',
          schedule: {
            proposalsOpenAt: '2030-01-01T00:00:00Z',
            reviewStartsAt: '2030-02-01T00:00:00Z',
            votingOpensAt: '2030-03-01T00:00:00Z',
            votingClosesAt: '2030-04-01T00:00:00Z',
          },
        },
      },
      admin,
    );
    expect(created.errors).toBeUndefined();

    // A second API on the same store and read models.
    const second = await startApi();
    expect(second).toMatchObject({ code: 1 });
    const { stderr } = second as Refused;
    expect(stderr).toContain('civic-ledger failed to start (STORE.LOCKED)');
    expect(stderr).toContain(`the event store (SQLITE_PATH=${files.SQLITE_PATH}) is already written by another process`);
    expect(stderr).toContain(`pid ${first.child.pid} on ${hostname()}`);
    expect(stderr).toContain('running "api"');

    // Same store, read models of its own: still the store's one writer.
    const beside = await startApi({ READ_MODEL_PATH: join(dir, 'other-read-models.sqlite') });
    expect((beside as Refused).stderr).toContain(`the event store (SQLITE_PATH=${files.SQLITE_PATH}) is already written`);

    // A rebuild would replace the read-model file under the API.
    const readModelsBefore = readFileSync(files.READ_MODEL_PATH);
    const rebuild = await cli(['projections', 'rebuild']);
    expect(rebuild.code).toBe(1);
    const { error } = JSON.parse(rebuild.stdout) as { error: { code: string; message: string } };
    expect(error.code).toBe('STORE.LOCKED');
    expect(error.message).toContain(`the read models (READ_MODEL_PATH=${files.READ_MODEL_PATH}) is already written by another process`);
    expect(error.message).toContain(`pid ${first.child.pid}`);
    expect(readFileSync(files.READ_MODEL_PATH).equals(readModelsBefore)).toBe(true);

    // Readers work beside the writer.
    const check = await cli(['projections', 'rebuild', '--check']);
    expect({ code: check.code, ok: JSON.parse(check.stdout).ok, funds: JSON.parse(check.stdout).tables.funds }).toEqual({
      code: 0,
      ok: true,
      funds: 1,
    });
    const secrets = JSON.parse(readFileSync(join(dir, 'dev-secrets.json'), 'utf8')) as { auditSigningKey: string };
    const publicKey = join(dir, 'audit-public.pem');
    writeFileSync(publicKey, createPublicKey(secrets.auditSigningKey).export({ type: 'spki', format: 'pem' }));
    const verify = await cli(['audit', 'verify', '--public-key', publicKey, '--sqlite-path', files.SQLITE_PATH, '--workers', '0']);
    expect({ code: verify.code, ok: JSON.parse(verify.stdout).ok }).toEqual({ code: 0, ok: true });

    // The holder dies without releasing anything: the next start takes over at once.
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const next = listening(await startApi());
    const funds = await gql(next.url, `{ funds { name } }`);
    expect(funds.data.funds).toEqual([{ name: 'Fund' }]);
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  } finally {
    // Whatever failed, no server started here outlives the test (a second one started, should the lock not hold).
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}, 240_000);
