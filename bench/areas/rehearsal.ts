/**
 * `npm run bench -- rehearsal [--voters N] [--quick] [--store sqlite|postgres] [--nodes 1|2]`:
 * a whole city-scale vote through the real interfaces (GraphQL over HTTP and WebSocket, the CLI
 * as processes), stage by stage, on a generated borough of 20 ward pots and a borough-wide pot:
 *
 * 1. the register (voters × 300/215 residents) imported as CSV in chunks of 5,000, as an
 *    administrator's browser sends it;
 * 2. the rush: every voter signs in and casts one ballot, a fifth of them change it once, from 64
 *    concurrent clients, while 100 staff subscriptions follow the tallies and 20 clients browse
 *    proposals and tallies;
 * 3. close, compute every pot's allocation, ratify, publish;
 * 4. `audit verify`, `audit recompute`, the jsonl export and a `projections rebuild` from zero;
 *
 * then checks that nothing was lost: each voter's last acknowledged receipt is the ballot the
 * bulletin board counts for them, every tally equals the rebuilt read models', recompute agrees
 * and verify passes. Prints one table, with the targets of the rehearsal issue.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { changes, drawBallot, drawBorough, potIndexOf, WARDS, type PotKind } from '../borough';
import { printTable } from '../table';
import { post } from './api';

const ROOT = join(__dirname, '../..');
const CLIENTS = 64;
const STAFF_SUBSCRIPTIONS = 100;
const BROWSERS = 20;

type Gql = { data?: any; errors?: { message: string; extensions: { code: string } }[] };

interface Options {
  voters: number;
  store: 'sqlite' | 'postgres';
  nodes: 1 | 2;
  /** How many reviewers accept proposals at once (each acceptance reserves its number in the fund's one stream). @defaultValue 8 */
  reviewers: number;
  /** Stop after a stage: `import` (the register), `setup` (the fund open for voting, its proposals accepted), `rush` (the ballots). */
  until?: 'import' | 'setup' | 'rush';
}

function parse(flags: string[]): Options {
  const value = (name: string) => {
    const i = flags.findIndex((f) => f === name || f.startsWith(`${name}=`));
    if (i < 0) return undefined;
    return flags[i].includes('=') ? flags[i].split('=')[1] : flags[i + 1];
  };
  const voters = Number(value('--voters') ?? (flags.includes('--quick') ? 20_000 : 215_000));
  const store = (value('--store') ?? 'sqlite') as Options['store'];
  const nodes = Number(value('--nodes') ?? 1) as Options['nodes'];
  if (!Number.isInteger(voters) || voters < 100) throw new Error('--voters: a whole number, at least 100');
  if (store !== 'sqlite' && store !== 'postgres') throw new Error('--store: sqlite or postgres');
  if (nodes !== 1 && nodes !== 2) throw new Error('--nodes: 1 or 2');
  if (nodes === 2 && store !== 'postgres') throw new Error('--nodes 2 needs --store postgres (nodes share a PostgreSQL)');
  const reviewers = Number(value('--reviewers') ?? 8);
  if (!Number.isInteger(reviewers) || reviewers < 1) throw new Error('--reviewers: a whole number, at least 1');
  const until = value('--until');
  if (until !== undefined && until !== 'import' && until !== 'setup' && until !== 'rush') throw new Error('--until: import, setup or rush');
  return { voters, store, nodes, reviewers, until };
}

interface Pot {
  id: string;
  name: string;
  ward: string | null;
  kind: PotKind;
  budget: number;
  points: number;
  maxPicks: number;
  rule: 'equal_shares_with_completion' | 'greedy_by_votes';
  proposals: { id: string; cost: number; faction: number }[];
}

interface Node {
  port: number;
  child: ChildProcess;
  dir: string;
  gql: (query: string, variables?: Record<string, unknown>, token?: string) => Promise<Gql>;
}

export async function run(flags: string[]): Promise<void> {
  const options = parse(flags);
  const started = Date.now();
  const residents = Math.round((options.voters * 300) / 215);
  const borough = drawBorough();
  const work = mkdtempSync(join(tmpdir(), 'civic-rehearsal-'));
  const schema = `rehearsal_${randomBytes(4).toString('hex')}`;
  const signing = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const env: Record<string, string> = {
    JWT_SECRET: randomBytes(32).toString('base64url'),
    KEY_MASTER_SECRET: randomBytes(32).toString('base64'),
    AUDIT_SIGNING_KEY: signing,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'error',
    RATE_LIMIT_PER_MINUTE: '1000000',
    NODE_ENV: 'development',
    ...(options.store === 'postgres'
      ? {
          EVENT_STORE: 'postgres',
          DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
          DATABASE_SCHEMA: schema,
        }
      : {}),
  };
  process.stdout.write(
    `rehearsal: ${options.voters} voters, ${residents} residents, ${options.store}, ${options.nodes} node(s); working in ${work}\n`,
  );
  await sh('npx', ['nest', 'build', 'api']);
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS + BROWSERS + 8 });
  const nodes: Node[] = [];
  const rows: (string | number)[][] = [];
  // Each stage's figures as soon as it ends (with the load then), so a later failure keeps them.
  const measured = (row: (string | number)[]) => {
    rows.push(row);
    process.stderr.write(`\n${row[0]} (load ${loadAverage()}): ${row[1]}\n`);
  };
  const memory = new MemoryByStage(() => nodes.map((n) => n.child.pid));
  const sampler = setInterval(() => memory.sample(), 250);
  // Each CLI process writes its peak RSS when it exits (a preload: the figures are the process's own).
  const peakAtExit = join(work, 'peak-rss.js');
  const peaksFile = join(work, 'peak-rss.jsonl');
  writeFileSync(peakAtExit, PEAK_AT_EXIT);
  const finish = () => report(options, [...rows, memory.row()]);
  try {
    for (let i = 0; i < options.nodes; i++) nodes.push(await startNode(agent, join(work, `node-${i}`), env));
    const [first] = nodes;
    const signIn = async (node: Node, role: string, subject: string) =>
      ok(await node.gql(`mutation($r: Role!, $s: String!) { devSignIn(role: $r, subject: $s) { token } }`, { r: role, s: subject }))
        .devSignIn.token as string;
    let admin = await signIn(first, 'administrator', 'rehearsal-admin');
    const reviewer = await signIn(first, 'reviewer', 'rehearsal-officer');
    let councillor = await signIn(first, 'councillor', 'rehearsal-cllr');
    ok(await first.gql(`mutation($w: [String!]!) { configureWards(wards: $w) { __typename } }`, { w: WARDS }, admin));

    // 1. The register, in chunks of 5,000 rows as the administrator's page sends them.
    const reference = (i: number) => `R-${String(i).padStart(7, '0')}`;
    const wardOf = (i: number) => WARDS[i % WARDS.length];
    const chunk = 5000;
    memory.enter('import');
    const importStart = Date.now();
    const importCpu = nodes.map((n) => cpuSeconds(n.child.pid));
    const importMainCpu = nodes.map((n) => cpuSeconds(n.child.pid, true));
    let imported = 0;
    for (let from = 0; from < residents; from += chunk) {
      const lines = ['reference,ward,date_of_birth'];
      for (let i = from; i < Math.min(residents, from + chunk); i++)
        lines.push(`${reference(i)},${wardOf(i)},19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 9}`);
      const r = ok(
        await first.gql(`mutation($c: String!) { importRegister(csv: $c) { imported refused { line } } }`, { c: lines.join('\n') }, admin),
      );
      imported += r.importRegister.imported;
      progress('register import', from + chunk, residents);
    }
    const importSeconds = (Date.now() - importStart) / 1000;
    const importPeak = memory.peak('import');
    memory.enter('setup');
    // CPU the servers spent per resident: steadier than the rate on a machine others share.
    const importCpuUs = (nodes.reduce((sum, n, i) => sum + cpuSeconds(n.child.pid) - importCpu[i], 0) / imported) * 1e6;
    // Of which the main threads' (the event loops'), without the threads that checkpoint or collect garbage beside them.
    const importMainUs = (nodes.reduce((sum, n, i) => sum + cpuSeconds(n.child.pid, true) - importMainCpu[i], 0) / imported) * 1e6;
    measured([
      'register import',
      `${Math.round(imported / importSeconds)} residents/s (${imported} in ${importSeconds.toFixed(1)} s, server CPU ${importCpuUs.toFixed(0)} µs each, main thread ${importMainUs.toFixed(0)}), server peak ${importPeak.toFixed(0)} MB`,
      '≥ 10,000/s',
      imported / importSeconds >= 10_000 ? 'ok' : 'MISSED',
    ]);
    if (options.until === 'import') return finish();

    // The fund: 20 ward pots and a borough-wide pot, each 40–150 proposals, costs and factions such that the rules differ.
    const now = Date.now();
    const schedule = {
      proposalsOpenAt: new Date(now - 3000).toISOString(),
      reviewStartsAt: new Date(now - 2000).toISOString(),
      votingOpensAt: new Date(now - 1000).toISOString(),
      votingClosesAt: new Date(now + 24 * 3600_000).toISOString(),
    };
    const fundId = ok(
      await first.gql(
        `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
        { i: { name: 'Rehearsal fund', description: 'A city-scale rehearsal.', schedule } },
        admin,
      ),
    ).createFund.fund.id as string;
    const pots: Pot[] = [];
    for (const drawn of borough) {
      const { ward, kind, budget } = drawn;
      const pot = {
        fundId,
        name: ward ?? 'Borough-wide',
        ward,
        budget: String(budget),
        rule: drawn.greedy ? 'greedy_by_votes' : 'equal_shares_with_completion',
        ballot: kind === 'cumulative' ? { kind, points: 10 } : kind === 'approval' ? { kind, minPicks: 1, maxPicks: 5 } : { kind },
      };
      const fund = ok(await first.gql(`mutation($i: AddPotInput!) { addPot(input: $i) { fund { pots { id name } } } }`, { i: pot }, admin));
      const id = fund.addPot.fund.pots.find((p: { name: string }) => p.name === pot.name).id as string;
      pots.push({ id, name: pot.name, ward, kind, budget, points: 10, maxPicks: 5, rule: pot.rule as Pot['rule'], proposals: [] });
    }
    await phase(first, admin, 'openProposals', fundId);
    const authors = new Map<string, string>();
    const author = async (i: number) => {
      const ref = reference(i);
      if (!authors.has(ref)) authors.set(ref, await signIn(first, 'resident', ref));
      return authors.get(ref)!;
    };
    // Drawn in order (the same borough every run), then sent by 8 clients at once.
    const planned: { pot: Pot; k: number; cost: number; author: number }[] = [];
    for (const [p, pot] of pots.entries()) {
      for (const [k, cost] of borough[p].costs.entries()) {
        // Ten authors per pot, living in the pot's ward (resident i lives in ward i mod 20).
        planned.push({ pot, k, cost, author: p === 0 ? k % 10 : p - 1 + WARDS.length * (k % 10) });
      }
    }
    for (const { author: a } of planned) await author(a);
    const submitStart = Date.now();
    let submitted = 0;
    const ids = new Map<(typeof planned)[number], string>();
    await pool(planned, 8, async (item) => {
      const input = {
        fundId,
        potId: item.pot.id,
        title: `${item.pot.name} project ${item.k + 1}`,
        summary: 'S',
        description: 'D',
        category: 'c',
        estimatedCost: String(item.cost),
      };
      const answer = await first.gql(
        `mutation($i: SubmitProposalInput!) { submitProposal(input: $i) { proposal { id } } }`,
        { i: input },
        await author(item.author),
      );
      ids.set(item, ok(answer).submitProposal.proposal.id as string);
      progress('proposals', ++submitted, planned.length);
    });
    for (const item of planned) item.pot.proposals.push({ id: ids.get(item)!, cost: item.cost, faction: item.k % 3 });
    const submitSeconds = (Date.now() - submitStart) / 1000;
    await phase(first, admin, 'startReview', fundId);
    let accepted = 0;
    const reviewStart = Date.now();
    await pool(
      pots.flatMap((pot) => pot.proposals),
      options.reviewers,
      async (proposal) => {
        progress('review', ++accepted, submitted);
        ok(
          await first.gql(
            `mutation($id: ID!, $c: Pence!) { acceptProposal(proposalId: $id, officialCost: $c) { __typename } }`,
            { id: proposal.id, c: String(proposal.cost) },
            reviewer,
          ),
        );
      },
    );
    const reviewSeconds = (Date.now() - reviewStart) / 1000;
    measured([
      'fund setup',
      `${submitted} proposals in ${pots.length} pots: submitted ${Math.round(submitted / submitSeconds)}/s (8 authors at once), ` +
        `accepted ${Math.round(accepted / reviewSeconds)}/s (${options.reviewers} reviewer(s) at once, ${reviewSeconds.toFixed(1)} s)`,
      '',
      '',
    ]);
    await phase(first, admin, 'openVoting', fundId);
    if (options.until === 'setup') return finish();

    // 2. The rush. Each voter votes in one pot: the borough-wide one for every 21st, else their ward's.
    const potOf = (i: number) => pots[potIndexOf(i)];
    const ballotOf = (
      i: number,
      pot: Pot,
      change: boolean,
    ): { proposalIds?: string[]; points?: { proposalId: string; points: number }[] } => {
      const ballot = drawBallot(i, pot, change);
      return 'points' in ballot
        ? { points: [...ballot.points].map(([proposalId, p]) => ({ proposalId, points: p })).filter((p) => p.points > 0) }
        : ballot;
    };
    const lastReceipt = new Map<number, string>();
    const acks: { pot: string; at: number }[] = [];
    const latencies: number[] = [];
    const refusals = new Map<string, number>();
    // The first message of each refusal code, printed after the table: a code alone does not say why.
    const firstRefusal = new Map<string, string>();
    let lagged: number[] = [];
    // Staff subscriptions spread over the pots; a tally update's lag is measured against the ack of the ballot that made that count.
    const ackTimes = new Map<string, number[]>(pots.map((p) => [p.id, []]));
    const subs: (() => void)[] = [];
    const wsClients = nodes.map((n) =>
      createClient({
        url: `ws://127.0.0.1:${n.port}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${councillor}` },
        retryAttempts: 0,
      }),
    );
    for (let s = 0; s < STAFF_SUBSCRIPTIONS; s++) {
      const pot = pots[s % pots.length];
      subs.push(
        wsClients[s % wsClients.length].subscribe(
          { query: `subscription($p: ID!) { tallyUpdated(potId: $p) { ballots } }`, variables: { p: pot.id } },
          {
            next: (v: any) => {
              const n = v.data?.tallyUpdated?.ballots as number | undefined;
              const times = ackTimes.get(pot.id)!;
              // The n-th ballot's ack (first ballots only; a change does not move the count).
              if (n && n <= times.length) lagged.push(Date.now() - times[n - 1]);
            },
            error: () => undefined,
            complete: () => undefined,
          },
        ),
      );
    }
    let rushing = true;
    const browseLatencies: number[] = [];
    const browsers = Array.from({ length: BROWSERS }, async (_, b) => {
      const node = nodes[b % nodes.length];
      while (rushing) {
        const pot = pots[Math.floor(Math.random() * pots.length)];
        const t = performance.now();
        if (b % 2)
          await node.gql(`query($p: ID!) { tally(potId: $p) { ballots lines { proposalId supporters } } }`, { p: pot.id }, councillor);
        else
          await node.gql(
            `query($f: ID!, $p: ID!) { proposals(fundId: $f, potId: $p, first: 50, order: number) { totalCount edges { node { id title number } } } }`,
            {
              f: fundId,
              p: pot.id,
            },
          );
        browseLatencies.push(performance.now() - t);
      }
    });
    const changers = new Set<number>();
    for (let i = 0; i < options.voters; i++) if (changes(i)) changers.add(i);
    const total = options.voters + changers.size;
    let done = 0;
    memory.enter('rush');
    const rushStart = Date.now();
    const rushCpu = nodes.map((n) => cpuSeconds(n.child.pid));
    const CAST = (verb: string) =>
      `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { ${verb}(fundId: $f, potId: $p, content: $c) { hash } }`;
    await pool(
      Array.from({ length: options.voters }, (_, i) => i),
      CLIENTS,
      async (i) => {
        const node = nodes[i % nodes.length];
        const pot = potOf(i);
        const token = await signIn(node, 'resident', reference(i));
        for (const [verb, change] of [['castBallot', false], ...(changers.has(i) ? [['replaceBallot', true]] : [])] as [
          string,
          boolean,
        ][]) {
          // A voter's change may reach the other node (ballots of one voter at either node).
          const at = verb === 'replaceBallot' ? nodes[(i + 1) % nodes.length] : node;
          const t = performance.now();
          const r = await at.gql(CAST(verb), { f: fundId, p: pot.id, c: ballotOf(i, pot, change) }, token);
          latencies.push(performance.now() - t);
          if (r.errors) {
            const code = String(r.errors[0].extensions.code);
            refusals.set(code, (refusals.get(code) ?? 0) + 1);
            if (!firstRefusal.has(code)) firstRefusal.set(code, `${verb} at node ${nodes.indexOf(at) + 1}: ${r.errors[0].message}`);
          } else {
            lastReceipt.set(i, r.data![verb].hash);
            if (!change) ackTimes.get(pot.id)!.push(Date.now());
            acks.push({ pot: pot.id, at: Date.now() });
          }
          progress('rush', ++done, total);
        }
      },
    );
    const rushSeconds = (Date.now() - rushStart) / 1000;
    // The servers' CPU in the rush (the ballots, sign-ins, browsing and subscriptions) per acknowledged ballot.
    const rushCpuMs = (nodes.reduce((sum, n, i) => sum + cpuSeconds(n.child.pid) - rushCpu[i], 0) / Math.max(1, acks.length)) * 1e3;
    rushing = false;
    await Promise.all(browsers);
    await new Promise((r) => setTimeout(r, 2000)); // the last tally updates
    subs.forEach((dispose) => dispose());
    await Promise.all(wsClients.map((c) => c.dispose()));
    const rushPeak = memory.peak('rush');
    const lat = quantiles(latencies);
    const lag = quantiles(lagged);
    const browse = quantiles(browseLatencies);
    const rate = acks.length / rushSeconds;
    measured([
      'rush',
      `${Math.round(rate)} ballots/s (${acks.length} acknowledged in ${rushSeconds.toFixed(0)} s, server CPU ${rushCpuMs.toFixed(1)} ms each), p50 ${lat.p50.toFixed(0)} ms, p99 ${lat.p99.toFixed(0)} ms, ` +
        `subscription lag p99 ${lag.p99.toFixed(0)} ms over ${lagged.length} updates; refused ${[...refusals].map(([c, n]) => `${c}×${n}`).join(', ') || 'none'}`,
      '≥ 430/s, p99 < 200 ms, lag p99 < 1 s',
      rate >= 430 && lat.p99 < 200 && lag.p99 < 1000 ? 'ok' : 'MISSED',
    ]);
    measured([
      'browse during the rush',
      `p50 ${browse.p50.toFixed(0)} ms, p99 ${browse.p99.toFixed(0)} ms over ${browseLatencies.length} queries`,
      '< 100 ms',
      browse.p99 < 100 ? 'ok' : 'MISSED',
    ]);
    for (const [code, first] of firstRefusal) process.stdout.write(`first ${code}: ${first}\n`);
    lagged = [];
    if (options.until === 'rush') return finish();

    // 3. Close, allocate every pot, ratify, publish. Signed in again: on a busy machine the rush outlasts a token.
    admin = await signIn(first, 'administrator', 'rehearsal-admin');
    councillor = await signIn(first, 'councillor', 'rehearsal-cllr');
    memory.enter('allocation');
    ok(
      await first.gql(
        `mutation($f: ID!) { closeVotingEarly(fundId: $f, reason: "rehearsal: the rush is over") { __typename } }`,
        { f: fundId },
        admin,
      ),
    );
    const allocStart = Date.now();
    let slowest = { name: '', ms: 0 };
    for (const pot of pots) {
      const t = Date.now();
      ok(
        await first.gql(
          `mutation($f: ID!, $p: ID!) { computeAllocation(fundId: $f, potId: $p) { __typename } }`,
          { f: fundId, p: pot.id },
          admin,
        ),
      );
      const ms = Date.now() - t;
      if (ms > slowest.ms) slowest = { name: pot.name, ms };
      ok(
        await first.gql(
          `mutation($f: ID!, $p: ID!) { ratifyAllocation(fundId: $f, potId: $p) { __typename } }`,
          { f: fundId, p: pot.id },
          councillor,
        ),
      );
      // The results are published once every pot's allocation is.
      ok(
        await first.gql(
          `mutation($f: ID!, $p: ID!) { publishAllocation(fundId: $f, potId: $p) { __typename } }`,
          { f: fundId, p: pot.id },
          councillor,
        ),
      );
      progress('allocation', pots.indexOf(pot) + 1, pots.length);
    }
    const allocSeconds = (Date.now() - allocStart) / 1000;
    memory.enter('publication');
    const publish = await first.gql(`mutation($f: ID!) { publishResults(fundId: $f) { __typename } }`, { f: fundId }, councillor);
    measured([
      'allocation of every pot',
      `${allocSeconds.toFixed(1)} s in all (compute, ratify and publish), slowest ${slowest.name} ${(slowest.ms / 1000).toFixed(1)} s; publish ${publish.errors ? publish.errors[0].extensions.code : 'ok'}`,
      '≤ 60 s in all',
      allocSeconds <= 60 && !publish.errors ? 'ok' : 'MISSED',
    ]);

    // Nothing lost: each voter's last acknowledged receipt is the ballot the bulletin board counts.
    memory.enter('receipts check');
    const counted = new Set<string>();
    // Each pot's counted receipts in one answer (the board's receipts file), not its pages of 100:
    // paging by offset grows with the square of a pot's ballots.
    for (const pot of pots) {
      const board = ok(
        await first.gql(`query($p: ID!) { bulletinBoard(potId: $p, first: 1, offset: 0) { receiptsCsv } }`, { p: pot.id }),
      ) as { bulletinBoard: { receiptsCsv: string } };
      for (const line of board.bulletinBoard.receiptsCsv.split('\n').slice(1)) if (line) counted.add(line);
    }
    const lost = [...lastReceipt.values()].filter((h) => !counted.has(h)).length;
    memory.enter('tallies');
    const tallies = new Map<string, number>();
    for (const pot of pots)
      tallies.set(pot.id, ok(await first.gql(`query($p: ID!) { tally(potId: $p) { ballots } }`, { p: pot.id })).tally.ballots);

    // 4. Audit, export, rebuild — as an auditor runs them, beside or after the API.
    const storeArgs =
      options.store === 'postgres'
        ? ['--store', 'postgres', '--database-url', env.DATABASE_URL, '--schema', schema]
        : ['--store', 'sqlite', '--sqlite-path', join(first.dir, 'events.sqlite')];
    const publicKey = join(work, 'audit-public.pem');
    writeFileSync(publicKey, createPublicKey(signing).export({ type: 'spki', format: 'pem' }));
    const timed = async (label: string, args: string[], extraEnv: Record<string, string> = {}) => {
      memory.enter(label);
      const t = Date.now();
      rmSync(peaksFile, { force: true });
      const preload = `--require ${peakAtExit} ${process.env.NODE_OPTIONS ?? ''}`.trim();
      const out = await sh('npm', ['run', '-s', 'cli', '--', ...args], {
        ...extraEnv,
        NODE_OPTIONS: preload,
        REHEARSAL_PEAK_FILE: peaksFile,
      }).catch((e: { stdout?: string; code?: number }) => ({
        failed: true,
        stdout: e.stdout ?? '',
        code: e.code,
      }));
      const seconds = (Date.now() - t) / 1000;
      // The largest of the processes it ran (npm, then the CLI's own node).
      memory.record(`CLI ${label}`, peakOfProcesses(peaksFile));
      process.stdout.write(`${label}: ${seconds.toFixed(1)} s\n`);
      return { seconds, out };
    };
    const exported = await timed('audit export', [
      'audit',
      'export',
      '--format',
      'jsonl',
      '--out',
      join(work, 'export.jsonl'),
      '--auditor',
      ...storeArgs,
    ]);
    // The history's length: one line of the auditor's export per event.
    const events = existsSync(join(work, 'export.jsonl')) ? countLines(join(work, 'export.jsonl')) : 0;
    const verify = await timed('audit verify', ['audit', 'verify', ...storeArgs, '--public-key', publicKey]);
    const recompute = await timed('audit recompute', ['audit', 'recompute', ...storeArgs]);
    for (const n of nodes) await stopNode(n);
    const nodeEnv = { ...env, SQLITE_PATH: join(first.dir, 'events.sqlite') };
    const rebuild = await timed('projections rebuild', ['projections', 'rebuild'], nodeEnv);
    // The rebuilt read models answer the same tallies.
    memory.enter('after the rebuild');
    nodes.splice(0, nodes.length, await startNode(agent, first.dir, env));
    let tallyMismatch = 0;
    for (const pot of pots)
      if (ok(await nodes[0].gql(`query($p: ID!) { tally(potId: $p) { ballots } }`, { p: pot.id })).tally.ballots !== tallies.get(pot.id))
        tallyMismatch++;
    const ok1 = (r: { out: unknown }) => !(r.out as { failed?: boolean }).failed;
    measured([
      'verify / recompute / rebuild',
      `${events} events: verify ${Math.round(events / verify.seconds)}/s (${ok1(verify) ? 'passes' : 'FAILS'}), recompute ${ok1(recompute) ? 'agrees' : 'DISAGREES'} ` +
        `(${recompute.seconds.toFixed(1)} s), export ${exported.seconds.toFixed(1)} s, rebuild ${Math.round(events / rebuild.seconds)}/s (${ok1(rebuild) ? 'ok' : 'FAILED'})`,
      '≥ 100,000/s / match / ≥ 50,000/s',
      events / verify.seconds >= 100_000 && ok1(verify) && ok1(recompute) && events / rebuild.seconds >= 50_000 ? 'ok' : 'MISSED',
    ]);
    measured([
      'nothing lost',
      `${lastReceipt.size} voters' last receipts: ${lost} not counted on the bulletin board; ${tallyMismatch} of ${pots.length} tallies differ after the rebuild`,
      'none',
      lost === 0 && tallyMismatch === 0 ? 'ok' : 'LOST',
    ]);
    const size = diskMb(work);
    measured([
      'whole rehearsal',
      `${((Date.now() - started) / 60_000).toFixed(1)} min; peak RSS of any process ${memory.highest().toFixed(0)} MB (the API in the rush ${rushPeak.toFixed(0)} MB); ` +
        `data on disk ${size.toFixed(0)} MB`,
      'peak RSS < 1 GB per process',
      memory.highest() < 1024 ? 'ok' : 'MISSED',
    ]);
    finish();
  } catch (err) {
    // The figures so far, memory included, before the error that ended the run.
    process.stderr.write(`\n${memory.row().slice(0, 2).join(': ')}\n`);
    throw err;
  } finally {
    clearInterval(sampler);
    agent.destroy();
    for (const n of nodes) await stopNode(n);
    if (options.store === 'postgres')
      await sh('psql', [
        env.DATABASE_URL,
        '-c',
        `DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_vault CASCADE`,
      ]).catch(() => undefined);
    // BENCH_KEEP_WORK=1 keeps the stores (events, witness, read models) to measure or profile the CLI on.
    if (process.env.BENCH_KEEP_WORK === '1') process.stdout.write(`kept ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}

/** The lines of a file read a megabyte at a time: a city's export is longer than the longest string V8 makes. */
function countLines(path: string): number {
  const fd = openSync(path, 'r');
  const chunk = Buffer.alloc(1 << 20);
  let lines = 0;
  let last = 0x0a;
  try {
    for (let n: number; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0;) {
      for (let i = chunk.indexOf(0x0a); i !== -1 && i < n; i = chunk.indexOf(0x0a, i + 1)) lines++;
      last = chunk[n - 1];
    }
  } finally {
    closeSync(fd);
  }
  return last === 0x0a ? lines : lines + 1;
}

function report(options: Options, rows: (string | number)[][]): void {
  process.stdout.write('\n');
  printTable(
    [
      `stage (${options.voters} voters, ${options.store}, ${options.nodes} node(s), ${new Date().toISOString().slice(0, 10)}, load ${loadAverage()})`,
      'measured',
      'target',
      '',
    ],
    rows,
  );
}

/** The machine's 1-minute load average at the time of the report (the machine is shared: figures are noisy). */
const loadAverage = () => (existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ')[0] : 'unknown');

function ok(r: Gql): any {
  if (r.errors) throw new Error(`${r.errors[0].extensions?.code}: ${r.errors[0].message}`);
  return r.data;
}

const phase = async (node: Node, token: string, step: string, fundId: string) =>
  ok(await node.gql(`mutation($id: ID!) { ${step}(fundId: $id) { fund { phase } } }`, { id: fundId }, token));

let lastProgress = 0;
/** A progress bar per stage, on stderr (the table goes to stdout). */
function progress(stage: string, done: number, total: number): void {
  const now = Date.now();
  if (done < total && now - lastProgress < 500) return;
  lastProgress = now;
  const share = Math.min(1, done / total);
  const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '.');
  process.stderr.write(`\r${stage.padEnd(16)} [${bar}] ${Math.min(done, total)}/${total}${done >= total ? '\n' : ''}`);
}

function quantiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
  return { p50: at(0.5), p99: at(0.99) };
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

function sh(command: string, args: string[], env: Record<string, string> = {}): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 }, (err, stdout) =>
      err ? reject(Object.assign(err, { stdout })) : resolve({ stdout }),
    );
  });
}

/** A field of /proc/PID/status in MB: VmRSS (resident now) or VmHWM (the most it has been resident). */
function statusMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Preloaded into each CLI process: at exit, it appends its VmHWM (its peak RSS) to $REHEARSAL_PEAK_FILE. */
const PEAK_AT_EXIT = `process.on('exit', () => {
  const fs = require('node:fs');
  try {
    const kb = Number(/VmHWM:\\s+(\\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]);
    fs.appendFileSync(process.env.REHEARSAL_PEAK_FILE, JSON.stringify({ pid: process.pid, kb }) + '\\n');
  } catch {}
});
`;

/** The largest peak RSS (MB) the processes of one command wrote at their exit; 0 when none did. */
function peakOfProcesses(file: string): number {
  if (!existsSync(file)) return 0;
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  return Math.max(0, ...lines.map((l) => (JSON.parse(l) as { kb: number }).kb / 1024));
}

/**
 * The peak RSS of every process the rehearsal runs, by stage. The API's is sampled (VmRSS every
 * 250 ms, and VmHWM whenever it rose since the last sample, so a peak between samples counts in
 * full); a CLI process's is its own VmHWM at exit. The load generator's is its VmHWM at the end.
 */
export class MemoryByStage {
  private stage = 'start';
  private readonly peaks = new Map<string, number>();
  private readonly hwm = new Map<number, number>();

  constructor(private readonly pids: () => (number | undefined)[]) {}

  /** Later samples count in `stage`; the last one before it counts in the stage that ends. */
  enter(stage: string): void {
    this.sample();
    this.stage = stage;
  }

  sample(): void {
    for (const pid of this.pids()) {
      if (pid === undefined) continue;
      const hwm = statusMb(pid, 'VmHWM');
      const rose = hwm > (this.hwm.get(pid) ?? 0);
      this.hwm.set(pid, hwm);
      this.record(`API ${this.stage}`, Math.max(statusMb(pid, 'VmRSS'), rose ? hwm : 0));
    }
  }

  record(key: string, mb: number): void {
    if (mb > 0) this.peaks.set(key, Math.max(this.peaks.get(key) ?? 0, mb));
  }

  /** The API's peak in a stage. */
  peak(stage: string): number {
    this.sample();
    return this.peaks.get(`API ${stage}`) ?? 0;
  }

  highest(): number {
    this.sample();
    this.record('load generator', statusMb(process.pid, 'VmHWM'));
    return Math.max(...this.peaks.values());
  }

  /** The table's row: which process peaked in which stage. */
  row(): (string | number)[] {
    const highest = this.highest();
    const figures = [...this.peaks].map(([key, mb]) => `${key} ${mb.toFixed(0)}`).join(', ');
    return ['peak RSS (MB) by process and stage', figures, '< 1024 each', highest < 1024 ? 'ok' : 'MISSED'];
  }
}

/** User and system CPU time of a process (or of its main thread) so far, in seconds (/proc/PID/stat, in clock ticks of 1/100 s on Linux). */
function cpuSeconds(pid: number | undefined, mainThread = false): number {
  try {
    const fields = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8')
      .split(') ')[1]
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function diskMb(dir: string): number {
  let bytes = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else bytes += s.size;
    }
  };
  if (existsSync(dir)) walk(dir);
  return bytes / 1048576;
}

async function startNode(agent: Agent, dir: string, env: Record<string, string>): Promise<Node> {
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  // Port 0: the system picks a free port (the API prints it), so runs side by side never collide.
  const child = spawn(process.execPath, [...nodeArgs, 'scripts/start-api.js'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', SQLITE_PATH: join(dir, 'events.sqlite') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const listening = /listening on https?:\/\/[^:\s]+:(\d+)/.exec(out);
      if (listening) resolve(Number(listening[1]));
    });
    child.once('exit', (code) => reject(new Error(`the API exited with ${code} before listening`)));
  });
  const gql = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
    post(agent, port, JSON.stringify({ query, variables }), token) as Promise<Gql>;
  return { port, child, dir, gql };
}

async function stopNode(node: Node): Promise<void> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return;
  node.child.kill('SIGINT');
  await new Promise((r) => node.child.once('exit', r));
}
