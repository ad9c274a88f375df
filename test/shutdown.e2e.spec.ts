import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Gql } from './support/api-client';
import { votingFund } from './support/voting-fund';

/**
 * Graceful shutdown, on the real server process: SIGTERM while ballots are in flight. Every
 * request sent before the signal is answered (never a dropped connection or a server error),
 * the process exits 0, every acknowledged ballot is in the store, the read models'
 * checkpoint is stored with what they folded, and the next start counts exactly the
 * acknowledged ballots.
 */
const root = join(__dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'civic-shutdown-'));
const files = {
  SQLITE_PATH: join(dir, 'events.sqlite'),
  READ_MODEL_PATH: join(dir, 'read-models.sqlite'),
  PERSONAL_DATA_PATH: join(dir, 'personal-data.sqlite'),
};

async function start(): Promise<{
  child: ChildProcess;
  api: { gql: typeof gql; raw: typeof raw; signIn: typeof signIn };
  exited: Promise<number | string>;
}> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'],
    {
      cwd: root,
      env: { ...process.env, ...files, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test', LOG_LEVEL: 'silent', SEED_DEMO: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  // PORT=0: the system picks a free port, which the start-up message names.
  let out = '';
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const listening = /listening on http:\/\/localhost:(\d+)/.exec(out);
      if (listening) resolve(listening[1]);
    });
    void exited.then((c) => reject(new Error(`the API exited (${c}) before listening`)));
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  async function raw(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<{ status: number; body: Gql }> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as Gql };
  }
  async function gql(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Gql> {
    return (await raw(query, variables, token)).body;
  }
  async function signIn(role: string, subject: string): Promise<string> {
    return (await gql(`mutation($r: Role!, $s: String!) { devSignIn(role: $r, subject: $s) { token } }`, { r: role, s: subject })).data
      .devSignIn.token;
  }
  return { child, api: { gql, raw, signIn }, exited };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('finishes the requests in flight on SIGTERM, loses no acknowledged ballot, and stores the read models’ checkpoint', async () => {
  const residents = Array.from({ length: 150 }, (_, i) => `TH-${String(700000 + i)}`);
  const first = await start();
  const fund = await votingFund(first.api as never, residents);
  const CAST = `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position } }`;
  type Outcome = { acknowledged?: string; refused?: string };
  const casts = residents.map((r): Promise<Outcome> =>
    first.api.raw(CAST, { f: fund.fundId, p: fund.potId, c: { proposalIds: [fund.proposals[0]] } }, fund.tokens[r]).then(
      ({ status, body }) =>
        status === 503
          ? { refused: 'HTTP 503' }
          : body.errors
            ? { refused: body.errors[0].extensions.code }
            : { acknowledged: body.data.castBallot.position as string },
      (err: Error & { cause?: { code?: string } }) => ({ refused: err.cause?.code ?? err.message }),
    ),
  );
  // The signal comes once the first answers are back, with most ballots still on their way.
  let answered = 0;
  for (const c of casts) void c.then(() => answered++);
  while (answered < 10) await new Promise((r) => setTimeout(r, 1));
  first.child.kill('SIGTERM');
  const outcomes = await Promise.all(casts);
  expect(await first.exited).toBe(0);

  const acknowledged = outcomes.flatMap((o) => (o.acknowledged ? [o.acknowledged] : []));
  const refused = outcomes.flatMap((o) => (o.refused ? [o.refused] : []));
  // Every ballot was sent before the signal, so every one is answered: the server drains what
  // it was sent before it stops listening (closing at once would reset the connections whose
  // requests it had not read yet).
  expect(refused).toEqual([]);
  expect(acknowledged).toHaveLength(residents.length);

  const events = new Database(files.SQLITE_PATH, { readonly: true });
  const stored = events.prepare(`SELECT CAST(position AS TEXT) FROM events WHERE type = 'BallotCast'`).pluck().all() as string[];
  const head = events.prepare('SELECT max(position) FROM events').pluck().get() as number;
  events.close();
  for (const position of acknowledged) expect(stored).toContain(position);
  const readModels = new Database(files.READ_MODEL_PATH, { readonly: true });
  const checkpoint = readModels.prepare(`SELECT value FROM read_model_meta WHERE key = 'checkpoint'`).pluck().get() as string;
  const folded = readModels.prepare(`SELECT ballots FROM tally_pots WHERE pot_id = ?`).pluck().get(fund.potId) as number | undefined;
  readModels.close();
  expect(Number(checkpoint)).toBeLessThanOrEqual(head);
  const before = new Database(files.SQLITE_PATH, { readonly: true });
  const castUpToCheckpoint = before
    .prepare(`SELECT count(*) FROM events WHERE type = 'BallotCast' AND position <= ?`)
    .pluck()
    .get(Number(checkpoint));
  before.close();
  // The checkpoint and the tally were stored together: no ballot folded without its checkpoint, none counted twice.
  expect(folded ?? 0).toBe(castUpToCheckpoint);

  const second = await start();
  try {
    const reviewer = await second.api.signIn('reviewer', 'officer-1');
    const counted = async () =>
      (await second.api.gql(`query($p: ID!) { tally(potId: $p) { ballots } }`, { p: fund.potId }, reviewer)).data.tally.ballots as number;
    // The read models catch up from their stored checkpoint: every stored ballot, once.
    const deadline = Date.now() + 10_000;
    while ((await counted()) < stored.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await counted()).toBe(stored.length);
    expect(stored.length).toBeGreaterThanOrEqual(acknowledged.length);
  } finally {
    second.child.kill('SIGTERM');
    await second.exited;
  }
}, 120_000);
