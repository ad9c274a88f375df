import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Gql } from './support/api-client';
import { votingFund } from './support/voting-fund';

/**
 * The logs are a path too: the real server process at LOG_LEVEL=trace, asked for embargoed
 * data by callers the embargo refuses and by callers it serves, never writes a ballot's
 * marks, a pseudonym, a register reference or a proposal id into its logs.
 */
const root = join(__dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'civic-embargo-logs-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('writes no embargoed data into the logs, at the most verbose level', async () => {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        SQLITE_PATH: join(dir, 'events.sqlite'),
        PORT: '0',
        HOST: '127.0.0.1',
        NODE_ENV: 'test',
        LOG_LEVEL: 'trace',
        SEED_DEMO: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let logs = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      logs += chunk.toString();
      const found = /listening on (http:\/\/\S+)/.exec(logs);
      if (found) resolve(found[1].replace('localhost', '127.0.0.1'));
    });
    child.stderr.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    void exited.then((code) => reject(new Error(`the API exited (${code}) before listening:\n${logs}`)));
  });
  const gql = async (query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Gql> =>
    (await (
      await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      })
    ).json()) as Gql;
  const signIn = async (role: string, subject: string): Promise<string> =>
    (await gql(`mutation($r: Role!, $s: String!) { devSignIn(role: $r, subject: $s) { token } }`, { r: role, s: subject })).data.devSignIn
      .token;

  const residents = ['TH-400000', 'TH-400001'];
  const fund = await votingFund({ gql, signIn } as never, residents);
  const streams: string[] = [];
  for (const r of residents) {
    const cast = await gql(
      `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { hash } }`,
      { f: fund.fundId, p: fund.potId, c: { proposalIds: [fund.proposals[1]] } },
      fund.tokens[r],
    );
    streams.push(cast.data.castBallot.hash);
  }
  // Receipts name no voter: the pseudonyms come from the ballots' streams, as the auditor reads them.
  const auditorLog = await gql(`{ auditLog(first: 500) { events { streamName metadata } } }`, {}, await signIn('auditor', 'auditor-logs'));
  const chainHash = (m: unknown) => ((typeof m === 'string' ? JSON.parse(m) : m) as { chain?: { hash?: string } }).chain?.hash;
  const pseudonyms = streams.map(
    (hash) =>
      (auditorLog.data.auditLog.events as { streamName: string; metadata: unknown }[])
        .find((e) => chainHash(e.metadata) === hash)
        ?.streamName.slice(-64) ?? '',
  );
  expect(pseudonyms.every((p) => /^[0-9a-f]{64}$/.test(p))).toBe(true);
  const auditor = await signIn('auditor', 'auditor-1');
  const pot = { p: fund.potId };
  for (const token of [undefined, fund.tokens[residents[0]], fund.reviewer, auditor]) {
    await gql(`query($p: ID!) { tally(potId: $p) { ballots lines { proposalId supporters } } }`, pot, token);
    await gql(`query($p: ID!) { draftAllocation(potId: $p) { status lines { proposalId } } }`, pot, token);
    await gql(`query($p: ID!) { results(potId: $p) { status lines { proposalId } } }`, pot, token);
    await gql(`{ auditLog(first: 100) { events { streamName data } } }`, {}, token);
  }
  const refused = await gql(`query($p: ID!) { tally(potId: $p) { ballots } }`, pot);
  expect(refused.errors?.[0].extensions.code).toBe('AUTH.FORBIDDEN');
  const mine = await gql(
    `query($f: ID!, $p: ID!) { myBallot(fundId: $f, potId: $p) { proposalIds } }`,
    { f: fund.fundId, p: fund.potId },
    fund.tokens[residents[0]],
  );
  expect(mine.data.myBallot.proposalIds).toEqual([fund.proposals[1]]);

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  // The server did log: one line per request at least.
  expect(logs.split('\n').filter((l) => l.includes('"path":"/graphql"')).length).toBeGreaterThan(10);
  for (const secret of [...pseudonyms, ...residents, ...fund.proposals]) expect(logs).not.toContain(secret);
}, 120_000);
