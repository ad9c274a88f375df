/**
 * `npm run bench -- web`: the residents' pages.
 * - Page weight of each resident page on first load (HTML + CSS + JS as sent, gzip): ≤ 150 KB, JS ≤ 50 KB.
 * - Largest Contentful Paint in Debian's chromium on an emulated slow-4G phone (CDP network and 4×
 *   CPU throttling), a fresh context per load, 5 loads, beside the same HTML and assets served as
 *   static files by plain node:http in the same run.
 * - Voting through the web form (the final form post and its redirect, asking for gzip as a browser
 *   does and reading the page decompressed) by 32 concurrent residents,
 *   beside castBallot over GraphQL on the same server in the same run: ballots/s and p99, each path
 *   timed after 32 untimed ballots of its own (warm: the confirmation page's view compiled, its code
 *   optimised), with the server's and the bench client's CPU per ballot.
 * `--only=weight,lcp,voting` runs some of the three.
 * The server runs in this process from the sources (the test's world set-up is reused), so
 * client and server share the machine's cores: the ratios, not the rates, are the figures.
 * BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof-web") runs the server in a
 * process of its own instead, compiled as `npm start` runs it, with those node flags: its profile
 * is then the server's alone; the bench then prints each path's time windows on the profile's clock
 * (to sum a profile's samples per path) and the server's own CPU per ballot of each path.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { launchChromium } from '../../test/browser/browser';
import { graphqlClient, startApi } from '../../test/support/api-client';
import { buildWebWorld } from '../../test/web/web-world';
import { printTable, verdict } from '../table';

const CLIENTS = 32;
/** What a browser (Chromium) asks for on every request: the server answers a page with gzip. */
const BROWSER_ENCODINGS = 'gzip, deflate, br, zstd';
type Gql = ReturnType<typeof graphqlClient>['gql'];
type SignIn = ReturnType<typeof graphqlClient>['signIn'];
const ROOT = join(__dirname, '../..');

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export async function run(flags: string[]): Promise<void> {
  const quick = flags.includes('--quick');
  const only = flags
    .find((f) => f.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const part = (name: 'weight' | 'lcp' | 'voting') => !only || only.includes(name);
  execFileSync(process.execPath, ['scripts/build-web.js'], { cwd: ROOT, stdio: 'ignore' });
  const serverNodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean);
  const api: { url: string; gql: Gql; signIn: SignIn; stop(): Promise<void>; cpuMs?: () => number } = serverNodeArgs
    ? await startServerProcess(serverNodeArgs)
    : await startApi({ RATE_LIMIT_PER_MINUTE: '1000000' });
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const port = Number(new URL(api.url).port);
  const http = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    new Promise<Res>((resolve, reject) => {
      const req = request(
        {
          agent,
          host: '127.0.0.1',
          port,
          path,
          method,
          headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  /** A resident's web session: the cookie and the form token, from a real sign-in. */
  const webSignIn = async (reference: string) => {
    const page = await http('GET', '/sign-in');
    const cookie = String((page.headers['set-cookie'] as string[])[0]).split(';')[0];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body.toString())![1];
    const signed = await http(
      'POST',
      '/sign-in',
      { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      new URLSearchParams({ _csrf: csrf, reference, back: '/' }).toString(),
    );
    const session = String((signed.headers['set-cookie'] as string[])[0]).split(';')[0];
    const home = await http('GET', '/', { cookie: session });
    return { cookie: session, csrf: /name="_csrf" value="([^"]+)"/.exec(home.body.toString())![1] };
  };

  try {
    const world = await buildWebWorld(api, 12);
    const w = world;
    const pages: Record<string, string> = {
      home: '/',
      proposals: `/funds/${w.voting.fundId}/proposals`,
      proposal: `/proposals/${w.voting.knapsack['Library late opening']}`,
      'ballot (knapsack)': `/funds/${w.voting.fundId}/pots/${w.voting.knapsackPot}/vote`,
      'ballot (approval)': `/funds/${w.voting.fundId}/pots/${w.voting.approvalPot}/vote`,
      'ballot (cumulative)': `/funds/${w.points.fundId}/pots/${w.points.pot}/vote`,
      propose: `/funds/${w.proposing.fundId}/propose`,
      results: `/funds/${w.published.fundId}/pots/${w.published.pot}/results`,
      delivery: `/funds/${w.published.fundId}/delivery`,
      receipt: '/receipt',
      'sign-in': '/sign-in',
    };
    const session = await webSignIn(world.residents[11]);

    // 1. Page weight on first load: the HTML, the stylesheet and the script, as the server sends them (gzip).
    const weights: (string | number)[][] = [];
    const htmlOf: Record<string, string> = {};
    for (const [name, path] of part('weight') || part('lcp') ? Object.entries(pages) : []) {
      const page = await http('GET', path, { cookie: session.cookie, 'accept-encoding': 'gzip' });
      const html = page.headers['content-encoding'] === 'gzip' ? gunzipSync(page.body).toString() : page.body.toString();
      htmlOf[name] = html;
      const css = /<link rel="stylesheet" href="([^"]+)"/.exec(html)![1];
      const js = /<script src="([^"]+)"/.exec(html)![1];
      const [cssRes, jsRes] = await Promise.all([
        http('GET', css, { 'accept-encoding': 'gzip' }),
        http('GET', js, { 'accept-encoding': 'gzip' }),
      ]);
      const total = page.body.length + cssRes.body.length + jsRes.body.length;
      weights.push([
        name,
        kb(page.body.length),
        kb(cssRes.body.length),
        kb(jsRes.body.length),
        kb(total),
        total <= 150 * 1024 && jsRes.body.length <= 50 * 1024 ? 'ok' : 'MISSED',
      ]);
    }
    if (part('weight')) process.stdout.write('\nPage weight on first load (gzip, as sent)\n');
    if (part('weight')) printTable(['page', 'HTML KB', 'CSS KB', 'JS KB', 'total KB', 'target ≤ 150 KB, JS ≤ 50 KB'], weights);

    if (part('lcp')) {
      // 2. LCP on an emulated slow-4G phone, beside the same files served by plain node:http.
      const staticDir = mkdtempSync(join(tmpdir(), 'civic-bench-web-'));
      for (const [name, html] of Object.entries(htmlOf)) writeFileSync(join(staticDir, `${slug(name)}.html`), html);
      for (const asset of [/<link rel="stylesheet" href="([^"]+)"/.exec(htmlOf.home)![1], /<script src="([^"]+)"/.exec(htmlOf.home)![1]]) {
        mkdirSync(dirname(join(staticDir, asset)), { recursive: true });
        writeFileSync(join(staticDir, asset), (await http('GET', asset)).body);
      }
      const plain = createServer((req, res) => {
        try {
          const path = req.url!.split('?')[0];
          const body = readFileSync(join(staticDir, path === '/' ? 'home.html' : path));
          res.writeHead(200, {
            'content-type': path.endsWith('.css') ? 'text/css' : path.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8',
          });
          res.end(body);
        } catch {
          res.writeHead(404).end();
        }
      });
      await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
      const plainUrl = `http://127.0.0.1:${(plain.address() as { port: number }).port}`;
      const browser = await launchChromium();
      const loads = quick ? 3 : 5;
      const lcpRows: (string | number)[][] = [];
      try {
        for (const name of ['home', 'proposals', 'ballot (knapsack)', 'results']) {
          const [cookieName, cookieValue] = session.cookie.split('=');
          const ours = await lcp(browser, `${api.url}${pages[name]}`, loads, { name: cookieName, value: cookieValue, url: api.url });
          const theirs = await lcp(browser, `${plainUrl}/${slug(name)}.html`, loads);
          lcpRows.push([name, ours.toFixed(0), theirs.toFixed(0), `${(ours / theirs).toFixed(2)}×`, ours <= 2500 ? 'ok' : 'MISSED']);
        }
      } finally {
        await browser.close();
        plain.close();
        rmSync(staticDir, { recursive: true, force: true });
      }
      process.stdout.write(
        `\nLargest Contentful Paint, slow 4G (562.5 ms RTT, 1.44 Mbps down) + 4× CPU, 360 px, median of ${loads} fresh loads\n`,
      );
      printTable(['page', 'LCP ms (the app)', 'LCP ms (static node:http)', 'app / static', 'target ≤ 2500 ms'], lcpRows);
    }

    if (part('voting')) {
      // 3. Voting: the web form path against castBallot over GraphQL, 32 residents at a time.
      const count = quick ? 400 : 1500;
      // Each path's first CLIENTS ballots warm it up, untimed (the first confirmation page compiles its view):
      // then both are timed warm, with `count` residents each.
      const voters = count + CLIENTS;
      const refs = Array.from({ length: voters * 2 }, (_, i) => `TH-9${String(i).padStart(6, '0')}`);
      const csv = ['reference,ward,date_of_birth', ...refs.map((r) => `${r},Mile End,1980-01-01`)].join('\n');
      await api.gql(`mutation($c: String!) { importRegister(csv: $c) { imported } }`, { c: csv }, world.admin);
      const webRefs = refs.slice(0, voters);
      const gqlRefs = refs.slice(voters);
      const sessions = await pool(webRefs, CLIENTS, webSignIn);
      const tokens = await pool(gqlRefs, CLIENTS, (r) => api.signIn('resident', r));
      const a = world.voting.approval;
      const choice = (i: number) => [a['Play street'], a['Bench by the pond'], a['Bulb planting']][i % 3];
      const base = `/funds/${w.voting.fundId}/pots/${w.voting.approvalPot}/vote`;
      // Each resident's review page first, as in a browser (untimed): the timed ballot posts its form.
      const reviews = await pool(
        webRefs.map((_, i) => i),
        CLIENTS,
        async (i) => {
          const form = new URLSearchParams({ _csrf: sessions[i].csrf, choice: choice(i) }).toString();
          const review = await http(
            'POST',
            base,
            { cookie: sessions[i].cookie, 'content-type': 'application/x-www-form-urlencoded' },
            form,
          );
          return /name="commandId" value="([^"]+)"/.exec(review.body.toString())![1];
        },
      );
      let webFailures = 0;
      const webBallot = async (i: number) => {
        const s = sessions[i];
        const form = new URLSearchParams({ _csrf: s.csrf, commandId: reviews[i], action: 'cast', choice: choice(i) }).toString();
        const sent = await http(
          'POST',
          `${base}/submit`,
          { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', 'accept-encoding': BROWSER_ENCODINGS },
          form,
        );
        const done =
          sent.status === 303
            ? await http('GET', String(sent.headers.location), { cookie: s.cookie, 'accept-encoding': BROWSER_ENCODINGS })
            : undefined;
        // The page as a browser reads it: decompressed.
        const page = done?.headers['content-encoding'] === 'gzip' ? gunzipSync(done.body) : done?.body;
        if (!done || done.status !== 200 || !page?.includes('receipt-code')) webFailures++;
      };
      let gqlFailures = 0;
      const CAST = `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position hash } }`;
      const gqlBallot = async (i: number) => {
        const body = JSON.stringify({
          query: CAST,
          variables: { f: w.voting.fundId, p: w.voting.approvalPot, c: { proposalIds: [choice(i)] } },
        });
        const res = await http(
          'POST',
          '/graphql',
          { 'content-type': 'application/json', authorization: `Bearer ${tokens[i]}`, 'accept-encoding': BROWSER_ENCODINGS },
          body,
        );
        if (res.status !== 200 || JSON.parse(res.body.toString()).errors) gqlFailures++;
      };
      await load(count, voters, webBallot);
      await load(count, voters, gqlBallot);
      if (webFailures || gqlFailures) throw new Error(`warm-up ballots failed: ${webFailures} web, ${gqlFailures} castBallot`);
      // In alternating rounds, each path first in turn: a load that drifts on a shared machine weighs on both alike.
      const { web, graphql, windows } = await interleaved(count, 8, webBallot, gqlBallot, api.cpuMs);
      // On the profile's clock (CLOCK_MONOTONIC, µs): which samples are which path's votes, not the set-up.
      if (serverNodeArgs) process.stdout.write(`\nvoting windows (monotonic µs): ${JSON.stringify(windows)}\n`);
      process.stdout.write(
        `\nVoting, ${CLIENTS} concurrent residents, ${count} ballots each way (${serverNodeArgs ? 'server in its own process' : 'in-process server'}, embedded SQLite)\n`,
      );
      // The bench's own CPU (its HTTP clients) shares the machine's cores with the server: shown beside the server's.
      const cpu = (run: { cpuMs?: number; clientMs: number }) =>
        run.cpuMs === undefined ? [] : [(run.cpuMs / count).toFixed(2), (run.clientMs / count).toFixed(2)];
      printTable(
        [
          'path',
          'ballots/s',
          'p50 ms',
          'p99 ms',
          'failed',
          ...(api.cpuMs ? ['server CPU ms/ballot', 'bench client CPU ms/ballot'] : []),
          'vs castBallot',
        ],
        [
          [
            'castBallot over GraphQL (baseline)',
            Math.round(graphql.rate),
            graphql.p50.toFixed(1),
            graphql.p99.toFixed(1),
            gqlFailures,
            ...cpu(graphql),
            '1.00×',
          ],
          [
            'web form: post + redirect',
            Math.round(web.rate),
            web.p50.toFixed(1),
            web.p99.toFixed(1),
            webFailures,
            ...cpu(web),
            verdict(web.rate / graphql.rate, 0.7),
          ],
        ],
      );
    }
  } finally {
    agent.destroy();
    await api.stop();
  }
}

/** The API as `npm start` runs it (compiled), in a process of its own started with `nodeArgs`. */
async function startServerProcess(nodeArgs: string[]) {
  execFileSync('npx', ['nest', 'build', 'api'], { cwd: ROOT, stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'civic-bench-web-server-'));
  const child = spawn(process.execPath, [...nodeArgs, 'scripts/start-api.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      SQLITE_PATH: join(dir, 'events.sqlite'),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'error',
      RATE_LIMIT_PER_MINUTE: '1000000',
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const listening = /listening on (http:\/\/\S+)/.exec(out);
      if (listening) resolve(listening[1].replace('localhost', '127.0.0.1'));
    });
    child.once('exit', (code) => reject(new Error(`the API exited with ${code} before listening`)));
  });
  const { gql, signIn } = graphqlClient(url);
  const stop = async () => {
    // SIGTERM drains and closes the application in order, so the profile is written on exit.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  /** The server process's CPU time so far (user + system, ms), from /proc: what it spent, whatever else the machine runs. */
  const cpuMs = () => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  };
  return { url, gql, signIn, stop, cpuMs };
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const slug = (name: string) => name.replace(/[^a-z]+/g, '-');

/** The median LCP of `loads` fresh loads of a URL on the throttled phone. */
async function lcp(
  browser: import('playwright-core').Browser,
  url: string,
  loads: number,
  cookie?: { name: string; value: string; url: string },
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, deviceScaleFactor: 2 });
    if (cookie) await context.addCookies([cookie]);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 562.5,
      downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8,
      uploadThroughput: (750 * 1024 * 0.9) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(url, { waitUntil: 'load' });
    times.push(
      (await page.evaluate(
        `new Promise((resolve) => new PerformanceObserver((list) => { const e = list.getEntries(); resolve(e[e.length - 1].startTime); }).observe({ type: 'largest-contentful-paint', buffered: true }))`,
      )) as number,
    );
    await context.close();
  }
  times.sort((x, y) => x - y);
  return times[Math.floor(times.length / 2)];
}

/** `count` calls of each of two paths, in `rounds` rounds that alternate which path goes first. */
async function interleaved(
  count: number,
  rounds: number,
  a: (i: number) => Promise<void>,
  b: (i: number) => Promise<void>,
  cpuMs?: () => number,
) {
  const runs = {
    a: { seconds: 0, latencies: [] as number[], cpuMs: 0, clientMs: 0 },
    b: { seconds: 0, latencies: [] as number[], cpuMs: 0, clientMs: 0 },
  };
  const windows = { web: [] as [string, string][], graphql: [] as [string, string][] };
  const micros = () => String(process.hrtime.bigint() / 1000n);
  for (let r = 0; r < rounds; r++) {
    const from = Math.floor((count * r) / rounds);
    const to = Math.floor((count * (r + 1)) / rounds);
    for (const which of r % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
      const start = micros();
      const cpu0 = cpuMs?.() ?? 0;
      const client0 = process.cpuUsage();
      const run = await load(from, to, which === 'a' ? a : b);
      runs[which].cpuMs += (cpuMs?.() ?? 0) - cpu0;
      const client = process.cpuUsage(client0);
      runs[which].clientMs += (client.user + client.system) / 1000;
      windows[which === 'a' ? 'web' : 'graphql'].push([start, micros()]);
      runs[which].seconds += run.seconds;
      runs[which].latencies.push(...run.latencies);
    }
  }
  const figures = ({ seconds, latencies, cpuMs: spent, clientMs }: (typeof runs)['a']) => {
    latencies.sort((x, y) => x - y);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    return { rate: count / seconds, p50: at(0.5), p99: at(0.99), cpuMs: cpuMs ? spent : undefined, clientMs };
  };
  return { web: figures(runs.a), graphql: figures(runs.b), windows };
}

/** Calls `fn` for each of `from`..`to - 1`, CLIENTS at a time: the time taken and each call's latency. */
async function load(from: number, to: number, fn: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = from;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < to) {
        const i = next++;
        const s = process.hrtime.bigint();
        await fn(i);
        latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
    }),
  );
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, latencies };
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
