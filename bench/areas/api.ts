/**
 * `npm run bench -- api`: ballots cast through the GraphQL mutation over HTTP by 32 concurrent
 * clients, on the embedded store, against a server in its own process. Reports ballots/s, p50
 * and p99 latency, next to the same server answering a trivial query at the same concurrency
 * (the baseline of this run), then checks that every acknowledged ballot is in the store and
 * in the tally.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printTable } from '../table';

const CLIENTS = 32;
const ROOT = join(__dirname, '../..');

export async function run(flags: string[]): Promise<void> {
  const ballots = flags.includes('--quick') ? 2000 : 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'civic-bench-api-'));
  const port = 3900 + Math.floor(Math.random() * 90);
  // Plain keep-alive HTTP: the global fetch costs the client more CPU than the server spends on a
  // trivial query, and client and server share this machine's two cores.
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  // The server runs as `npm start` runs it: compiled by `nest build api`.
  execFileSync('npx', ['nest', 'build', 'api'], { cwd: ROOT, stdio: 'inherit' });
  const server = await startServer(dir, port);
  try {
    const gql = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
      post(agent, port, JSON.stringify({ query, variables }), token) as Promise<{
        data?: any;
        errors?: { extensions: { code: string } }[];
      }>;
    const signIn = async (role: string, subject: string) =>
      (await gql(`mutation($r: Role!, $s: String!) { devSignIn(role: $r, subject: $s) { token } }`, { r: role, s: subject })).data.devSignIn
        .token as string;

    // A fund with one pot, five accepted proposals, voting open, and a register of voters.
    const admin = await signIn('administrator', 'bench-admin');
    const reviewer = await signIn('reviewer', 'bench-officer');
    const references = Array.from({ length: ballots }, (_, i) => `B-${String(i).padStart(7, '0')}`);
    for (let i = 0; i < references.length; i += 10_000) {
      const csv = ['reference,ward,date_of_birth', ...references.slice(i, i + 10_000).map((r) => `${r},Bow East,1980-01-01`)].join('\n');
      await gql(`mutation($c: String!) { importRegister(csv: $c) { imported } }`, { c: csv }, admin);
    }
    const now = Date.now();
    const schedule = {
      proposalsOpenAt: new Date(now - 3000).toISOString(),
      reviewStartsAt: new Date(now - 2000).toISOString(),
      votingOpensAt: new Date(now - 1000).toISOString(),
      votingClosesAt: new Date(now + 3600_000).toISOString(),
    };
    const fundId = (
      await gql(
        `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
        { i: { name: 'Bench', description: 'Bench.', schedule } },
        admin,
      )
    ).data.createFund.fund.id;
    const potId = (
      await gql(
        `mutation($i: AddPotInput!) { addPot(input: $i) { fund { pots { id } } } }`,
        {
          i: {
            fundId,
            name: 'Bow East',
            ward: 'Bow East',
            budget: '10000000',
            rule: 'greedy_by_votes',
            ballot: { kind: 'approval', minPicks: 1, maxPicks: 3 },
          },
        },
        admin,
      )
    ).data.addPot.fund.pots[0].id;
    await gql(`mutation($id: ID!) { openProposals(fundId: $id) { fund { phase } } }`, { id: fundId }, admin);
    const author = await signIn('resident', references[0]);
    const proposals: string[] = [];
    for (let p = 0; p < 5; p++) {
      proposals.push(
        (
          await gql(
            `mutation($i: SubmitProposalInput!) { submitProposal(input: $i) { proposal { id } } }`,
            { i: { fundId, potId, title: `P${p}`, summary: 'S', description: 'D', category: 'c', estimatedCost: '100000' } },
            author,
          )
        ).data.submitProposal.proposal.id,
      );
    }
    await gql(`mutation($id: ID!) { startReview(fundId: $id) { fund { phase } } }`, { id: fundId }, admin);
    for (const id of proposals)
      await gql(`mutation($id: ID!) { acceptProposal(proposalId: $id, officialCost: "100000") { proposal { id } } }`, { id }, reviewer);
    await gql(`mutation($id: ID!) { openVoting(fundId: $id) { fund { phase } } }`, { id: fundId }, admin);
    const tokens = await pool(references, CLIENTS, (r) => signIn('resident', r));

    // Baseline: the same server, the same concurrency, a query that touches no store.
    const baseline = await load(ballots, server.pid, async () => {
      await gql('{ version { version } }');
    });
    // Ballots.
    const acknowledged: number[] = [];
    const refused: string[] = [];
    const CAST = `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position } }`;
    const cast = await load(ballots, server.pid, async (i) => {
      const r = await gql(
        CAST,
        { f: fundId, p: potId, c: { proposalIds: [proposals[i % 5], proposals[(i * 3 + 1) % 5]].filter((v, k, a) => a.indexOf(v) === k) } },
        tokens[i],
      );
      if (r.errors) refused.push(r.errors[0].extensions.code);
      else acknowledged.push(i);
    });

    // Nothing lost: every acknowledged ballot is in the tally (read after the projection caught up) and in the store.
    const tally = (await gql(`query($p: ID!) { tally(potId: $p) { ballots } }`, { p: potId }, reviewer)).data.tally.ballots as number;
    const sample = acknowledged.filter((_, k) => k % Math.max(1, Math.floor(acknowledged.length / 200)) === 0);
    const MY_BALLOT = `query($f: ID!, $p: ID!) { myBallot(fundId: $f, potId: $p) { status } }`;
    const found = await pool(
      sample,
      CLIENTS,
      async (i) => (await gql(MY_BALLOT, { f: fundId, p: potId }, tokens[i])).data?.myBallot?.status === 'counted',
    );
    const missing = found.filter((ok) => !ok).length;

    printTable(
      [
        'scenario (32 clients, HTTP, embedded SQLite)',
        'requests',
        'per second',
        'p50 ms',
        'p99 ms',
        'server CPU ms/req',
        'vs trivial query',
        'target',
      ],
      [
        row('baseline: { version } query', baseline, baseline, ''),
        row(
          'castBallot mutation (durable, read-your-writes)',
          cast,
          baseline,
          `≥ 1000/s: ${cast.rate >= 1000 ? 'ok' : 'MISSED'}; p99 < 100 ms: ${cast.p99 < 100 ? 'ok' : 'MISSED'}`,
        ),
      ],
    );
    const lost = acknowledged.length - tally;
    process.stdout.write(
      `acknowledged ${acknowledged.length}, refused ${refused.length}${refused.length ? ` (${[...new Set(refused)].join(', ')})` : ''}; ` +
        `tally counts ${tally}: ${lost === 0 ? 'nothing lost' : `${lost} LOST`}; ${sample.length} receipts checked in the store, ${missing} missing\n`,
    );
  } finally {
    agent.destroy();
    server.kill('SIGINT');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

type LoadResult = Awaited<ReturnType<typeof load>>;

/** A table row: the load's figures, its rate as a ratio of the baseline's, and its target. */
function row(label: string, result: LoadResult, baseline: LoadResult, target: string): (string | number)[] {
  const cpu = result.cpuPerRequest === undefined ? 'n/a' : result.cpuPerRequest.toFixed(2);
  return [
    label,
    result.count,
    Math.round(result.rate),
    result.p50.toFixed(1),
    result.p99.toFixed(1),
    cpu,
    `${(result.rate / baseline.rate).toFixed(2)}×`,
    target,
  ];
}

/** A GraphQL POST over a keep-alive agent (the benches' client: cheaper than fetch on a shared machine). */
export function post(agent: Agent, port: number, body: string, token?: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString()));
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** CPU time (user + system) a process has used, in ms; undefined where /proc is not there. */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

async function load(count: number, pid: number | undefined, request: (i: number) => Promise<void>) {
  const cpu0 = cpuMs(pid);
  const latencies: number[] = [];
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < count) {
        const i = next++;
        const s = process.hrtime.bigint();
        await request(i);
        latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  const cpu1 = cpuMs(pid);
  // The server's CPU per request: what a busy machine cannot distort as it does the rate.
  const cpuPerRequest = cpu0 === undefined || cpu1 === undefined ? undefined : (cpu1 - cpu0) / count;
  return { count, rate: count / seconds, p50: at(0.5), p99: at(0.99), cpuPerRequest };
}

async function pool<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

function startServer(dir: string, port: number): Promise<ChildProcess> {
  // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server.
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, 'scripts/start-api.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SQLITE_PATH: join(dir, 'events.sqlite'),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'error',
      RATE_LIMIT_PER_MINUTE: '1000000',
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening on')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`the API exited with ${code} before listening`)));
  });
}
