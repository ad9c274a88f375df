/**
 * `npm run bench -- audit [--quick] [--events=N] [--workers=N] [--rebuild-events=N | --no-rebuild]`: `audit verify` over a chained, checkpointed
 * history of 1,000,000 events in a SQLite file, against the raw read of the same rows with
 * one SHA-256 per row in one thread (the ceiling of one thread: no canonical form, no chain,
 * no Merkle tree). verify runs as its defaults have it (with a worker thread on two cores or
 * more), under ts-node as `npm run cli` runs it, and in one thread (`--workers 0`).
 * Both run in child processes, so that each peak memory (VmHWM) is its own. Then `projections
 * rebuild` from zero on a generated city's history of 650,000 events (65,000 with `--quick`),
 * against the raw read of its rows with their data parsed.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import Database from 'better-sqlite3';
import {
  CHECKPOINT_EVENT_TYPE,
  CHECKPOINT_STREAM,
  defaultWitnessPath,
  fastCanonical,
  fastEventHash,
  FileWitness,
  loadSigningKey,
  MerkleFrontier,
  merkleLeaf,
  signCheckpoint,
  transpileAuditLibrary,
  type SigningKey,
} from '@civic/audit';
import { SqliteEventStore } from '@civic/event-store-sqlite';
import { printTable } from '../table';
import { buildVotingHistory } from './time-travel-history';

const CHECKPOINT_EVERY = 1000;

interface StreamHead {
  revision: number;
  hash: string;
}

/**
 * Writes `count` events the way the ChainedEventStore and the Checkpointer would, but as raw
 * rows in big transactions (appending a million events one request at a time takes minutes):
 * ballots, most in a stream of their own, some replaced, and a signed checkpoint every 1,000.
 */
export async function buildHistory(path: string, count: number, key: SigningKey): Promise<void> {
  new SqliteEventStore({ path }).close();
  const db = new Database(path);
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    'INSERT INTO events (event_id, stream_name, stream_category, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const witness = new FileWitness(defaultWitnessPath(path));
  const heads = new Map<string, StreamHead>();
  const frontier = new MerkleFrontier();
  const at = new Date().toISOString();
  let sequence = 0;
  let previousCheckpoint: string | null = null;
  let pending: unknown[][] = [];
  const flush = db.transaction((rows: unknown[][]) => {
    for (const r of rows) insert.run(...r);
  });
  const write = (stream: string, type: string, data: Record<string, unknown>, metadata: Record<string, unknown>, id = randomUUID()) => {
    const head = heads.get(stream);
    const revision = head ? head.revision + 1 : 0;
    const previous = head ? head.hash : null;
    const hash = fastEventHash({ streamName: stream, revision, id, type, data: data as never, metadata: metadata as never, previous });
    heads.set(stream, { revision, hash });
    frontier.push(merkleLeaf(Buffer.from(hash, 'hex')));
    // Stored as the ChainedEventStore stores it: canonical payloads, the chain last in metadata.
    pending.push([
      id,
      stream,
      stream.split('-')[0],
      revision,
      type,
      fastCanonical(data as never),
      JSON.stringify({ ...metadata, chain: { hash, previous } }),
      at,
    ]);
    if (pending.length >= 20_000) {
      flush(pending);
      pending = [];
    }
    return { id, hash, position: frontier.count };
  };
  let voters = 0;
  for (let n = 0; frontier.count < count; n++) {
    // One ballot in seven replaces an earlier one; the rest open a stream of their own.
    const replace = n % 7 === 3 && voters > 100;
    const voter = replace ? voters - 1 - (n % 97) : voters++;
    const pot = voter % 21;
    write(
      `ballot-pot${pot}-v${voter}`,
      replace ? 'BallotReplaced' : 'BallotCast',
      { picks: [`p${n % 83}`, `p${(n * 7) % 83}`, `p${(n * 13) % 83}`], pot: `pot-${pot}` },
      { actor: { pseudonym: `v${voter}`, role: 'resident' }, commandId: randomUUID(), correlationId: randomUUID(), schemaVersion: 1 },
    );
    if (frontier.count % CHECKPOINT_EVERY === 0 && frontier.count < count) {
      const upTo = frontier.count;
      const data = signCheckpoint(
        {
          sequence,
          upToPosition: String(upTo),
          eventCount: upTo,
          merkleRoot: frontier.root().toString('hex'),
          previousCheckpointHash: previousCheckpoint,
          reason: 'interval',
          keyId: key.keyId,
          frontier: frontier.toJSON().subtrees,
        },
        key,
      );
      const written = write(CHECKPOINT_STREAM, CHECKPOINT_EVENT_TYPE, { ...data }, {});
      const { signature, merkleRoot, eventCount, upToPosition, keyId } = data;
      await witness.record({
        sequence,
        eventId: written.id,
        position: String(written.position),
        upToPosition,
        eventCount,
        merkleRoot,
        signature,
        keyId,
      });
      previousCheckpoint = written.hash;
      sequence++;
    }
  }
  flush(pending);
  db.close();
}

/**
 * The child's script: `audit verify` on the file, minus the printing, reporting wall time,
 * CPU time (user + system, which a busy shared machine disturbs less) and peak memory.
 * `lib` is the audit library to load: its TypeScript sources (under ts-node, as
 * `npm run cli` runs it) or the same sources transpiled to JavaScript (as a build runs it).
 */
function verifyScript(lib: string, path: string, publicPem: string, workers: number | undefined): string {
  return `
    const { join } = require('node:path');
    const { readFileSync } = require('node:fs');
    const { SqliteAuditSource } = require(join(${JSON.stringify(lib)}, 'verify/sources/sqlite-source'));
    const { verifyHistory } = require(join(${JSON.stringify(lib)}, 'verify/verify-history'));
    const { FileWitness, defaultWitnessPath } = require(join(${JSON.stringify(lib)}, 'witness/file-witness'));
    const { loadPublicKey } = require(join(${JSON.stringify(lib)}, 'signing/signing-key'));
    (async () => {
      const path = ${JSON.stringify(path)};
      const source = new SqliteAuditSource(path, { workers: ${workers === undefined ? 'undefined' : workers} });
      const witnesses = [{ description: 'witness', records: await new FileWitness(defaultWitnessPath(path)).readAll() }];
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const report = await verifyHistory({ source, publicKey: loadPublicKey(${JSON.stringify(publicPem)}), witnesses });
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const cpu = process.cpuUsage(cpu0);
      await source.close();
      const peakMb = Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
      process.stdout.write(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, ok: report.ok, events: report.eventsChecked,
        streams: report.streamsChecked, checkpoints: report.checkpointsChecked, failures: report.failures.slice(0, 3), peakMb }));
    })();`;
}

/**
 * A baseline in plain Node: every row of the events table read in order (`columns`) and `perRow`
 * done with it (`r`, the row as an array; `require` is the child's). The rebuild's baseline parses
 * each row's data, what any fold must do; verify's ceiling hashes each row once (no canonical form,
 * no chain, no Merkle tree).
 */
function rawScript(path: string, columns: string, perRow: string): string {
  return `
    const Database = require('better-sqlite3');
    const { createHash } = require('node:crypto');
    const db = new Database(${JSON.stringify(path)}, { readonly: true });
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    let events = 0;
    const stmt = db.prepare('SELECT ${columns} FROM events ORDER BY position').raw();
    for (const r of stmt.iterate()) {
      ${perRow};
      events++;
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const peakMb = Number(/VmHWM:\\s+(\\d+) kB/.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
    process.stdout.write(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, events, peakMb }));`;
}

/**
 * `projections rebuild` as the CLI runs it (its module under ts-node, with the platform's
 * read models, into READ_MODEL_PATH), timed from the command's start to its end: the
 * process's start and the modules' loading are left out (the whole command's wall time is
 * measured beside it).
 */
function rebuildScript(eventsPath: string, readModelPath: string): string {
  return `
    process.env.SQLITE_PATH = ${JSON.stringify(eventsPath)};
    process.env.READ_MODEL_PATH = ${JSON.stringify(readModelPath)};
    process.env.LOG_LEVEL = 'silent';
    const { readFileSync } = require('node:fs');
    const { run } = require('./apps/cli/src/projections');
    (async () => {
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const code = await run(['rebuild']);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const cpu = process.cpuUsage(cpu0);
      if (code !== 0) throw new Error('projections rebuild exited ' + code);
      const peakMb = Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
      const Database = require('better-sqlite3');
      const db = new Database(${JSON.stringify(readModelPath)}, { readonly: true });
      const events = Number(db.prepare("SELECT value FROM read_model_meta WHERE key = 'events'").pluck().get());
      db.close();
      process.stdout.write('\\n' + JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, events, peakMb }));
    })().catch((err) => { console.error(err); process.exit(1); });`;
}

/** The whole command as an operator (and the rehearsal) runs it: `npm run -s cli -- projections rebuild`, process start included. */
function rebuildCommand(eventsPath: string, readModelPath: string): Promise<number> {
  const root = join(__dirname, '../..');
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) =>
    execFile(
      'npm',
      ['run', '-s', 'cli', '--', 'projections', 'rebuild'],
      {
        cwd: root,
        maxBuffer: 1 << 20,
        env: { ...process.env, SQLITE_PATH: eventsPath, READ_MODEL_PATH: readModelPath, LOG_LEVEL: 'silent' },
      },
      (err, _stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(Number(process.hrtime.bigint() - started) / 1e9),
    ),
  );
}

/**
 * `projections rebuild` on a generated city's history (`events` events: the register's
 * residents, 300 in 650 of them as in the rehearsal, then funds, proposals and ballots, written
 * as the API stores them), beside the raw read of the same rows with their data parsed.
 */
async function rebuildRows(dir: string, count: number): Promise<(string | number)[][]> {
  const eventsPath = join(dir, 'city.sqlite');
  buildVotingHistory(eventsPath, count, undefined, { residents: Math.round((count * 300) / 650) });
  const raw = await inChild(
    rawScript(eventsPath, 'position, event_id, stream_name, revision, type, data, metadata, recorded_at', 'JSON.parse(r[5])'),
    false,
  );
  const rate = (n: number, s: number) => Math.round(n / s);
  const rows: (string | number)[][] = [
    [
      'raw read + JSON.parse of data (plain node)',
      raw.events,
      rate(raw.events, raw.seconds),
      rate(raw.events, raw.cpuSeconds),
      Math.round(raw.peakMb),
      '',
      '',
    ],
  ];
  const ours = await inChild(rebuildScript(eventsPath, join(dir, 'read-models.sqlite')), true, true);
  if (ours.events !== raw.events) throw new Error(`the rebuild folded ${ours.events} of ${raw.events} events`);
  const oursRate = rate(ours.events, ours.seconds);
  rows.push([
    'projections rebuild (ts-node, the command alone)',
    ours.events,
    oursRate,
    rate(ours.events, ours.cpuSeconds),
    Math.round(ours.peakMb),
    `${(oursRate / rate(raw.events, raw.seconds)).toFixed(2)}×`,
    oursRate >= 50_000 ? 'ok' : 'MISSED',
  ]);
  const whole = await rebuildCommand(eventsPath, join(dir, 'read-models-cli.sqlite'));
  const wholeRate = rate(raw.events, whole);
  rows.push([
    'npm run -s cli -- projections rebuild (process start included)',
    raw.events,
    wholeRate,
    '',
    '',
    `${(wholeRate / rate(raw.events, raw.seconds)).toFixed(2)}×`,
    wholeRate >= 50_000 ? 'ok' : 'MISSED',
  ]);
  return rows;
}

interface ChildResult {
  seconds: number;
  cpuSeconds: number;
  events: number;
  peakMb: number;
  ok?: boolean;
  streams?: number;
  checkpoints?: number;
}

function inChild(script: string, tsNode: boolean, paths = false): Promise<ChildResult> {
  const root = join(__dirname, '../..');
  const args = [
    ...(tsNode ? ['-r', 'ts-node/register/transpile-only'] : []),
    ...(paths ? ['-r', 'tsconfig-paths/register'] : []),
    '-e',
    script,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: root, maxBuffer: 1 << 20, env: { ...process.env, NODE_PATH: join(root, 'node_modules') } },
      // The result is the last line (a command may print its own report before it).
      (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult),
    );
  });
}

/** The audit library transpiled to CommonJS in `dir` (what `nest build` would give), with no compiler to load at run time. */
function compileAuditLibrary(dir: string): string {
  const src = join(__dirname, '../../libs/audit/src');
  for (const [path, js] of Object.entries(transpileAuditLibrary())) {
    const out = join(dir, relative(src, path)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, js);
  }
  return dir;
}

export async function run(flags: string[]): Promise<void> {
  const eventsFlag = flags.find((f) => f.startsWith('--events='));
  const count = eventsFlag ? Number(eventsFlag.split('=')[1]) : flags.includes('--quick') ? 100_000 : 1_000_000;
  const workersFlag = Number(flags.find((f) => f.startsWith('--workers='))?.split('=')[1] ?? 0);
  let streamsLine = '';
  const dir = mkdtempSync(join(tmpdir(), 'civic-bench-audit-'));
  try {
    const { privateKey } = generateKeyPairSync('ed25519');
    const key = loadSigningKey(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const publicPem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const path = join(dir, 'history.sqlite');
    const t0 = Date.now();
    await buildHistory(path, count, key);
    const buildSeconds = (Date.now() - t0) / 1000;
    const raw = await inChild(
      rawScript(
        path,
        'position, event_id, stream_name, revision, type, data, metadata',
        "createHash('sha256').update(r[1]).update(r[2]).update(r[4]).update(r[5]).update(r[6]).digest()",
      ),
      false,
    );
    const rate = (n: number, s: number) => Math.round(n / s);
    const rows: (string | number)[][] = [];
    const compiled = compileAuditLibrary(join(dir, 'audit-js'));
    // Workers: undefined is verify's default (a worker when there are two cores or more).
    const runs: [string, string, boolean, number | undefined][] = [
      ['verify (compiled)', compiled, false, undefined],
      ['verify (ts-node, as npm run cli)', join(__dirname, '../../libs/audit/src'), true, undefined],
      ['verify --workers 0 (compiled, one thread)', compiled, false, 0],
      ...(workersFlag
        ? [[`verify --workers ${workersFlag} (compiled)`, compiled, false, workersFlag] as [string, string, boolean, number]]
        : []),
    ];
    rows.push([
      'raw read + SHA-256 (plain node)',
      raw.events,
      rate(raw.events, raw.seconds),
      rate(raw.events, raw.cpuSeconds),
      Math.round(raw.peakMb),
      '',
      '',
    ]);
    for (const [label, lib, tsNode, workers] of runs) {
      const ours = await inChild(verifyScript(lib, path, publicPem, workers), tsNode);
      if (!ours.ok || ours.events !== count) throw new Error(`verify did not pass the clean history: ${JSON.stringify(ours)}`);
      const oursRate = rate(ours.events, ours.seconds);
      rows.push([
        label,
        ours.events,
        oursRate,
        rate(ours.events, ours.cpuSeconds),
        Math.round(ours.peakMb),
        `${(oursRate / rate(raw.events, raw.seconds)).toFixed(2)}×`,
        `${oursRate >= 100_000 ? 'ok' : 'MISSED'} / ${ours.peakMb < 300 ? 'ok' : 'MISSED'}`,
      ]);
      if (label === 'verify (compiled)') streamsLine = `${ours.streams} streams, ${ours.checkpoints} checkpoints`;
    }
    printTable(['run', 'events', 'events/s', 'events/CPU-s', 'peak MB (VmHWM)', 'events/s ÷ raw', 'target ≥ 100,000/s / < 300 MB'], rows);
    process.stdout.write(`(${streamsLine}; history built in ${buildSeconds.toFixed(0)} s)\n`);
    if (!flags.includes('--no-rebuild')) {
      const rebuildCount = Number(
        flags.find((f) => f.startsWith('--rebuild-events='))?.split('=')[1] ?? (flags.includes('--quick') ? 65_000 : 650_000),
      );
      process.stdout.write(`\nprojections rebuild from zero on a generated city's history:\n`);
      printTable(
        ['run', 'events', 'events/s', 'events/CPU-s', 'peak MB (VmHWM)', 'events/s ÷ raw', 'target ≥ 50,000/s'],
        await rebuildRows(dir, rebuildCount),
      );
    }
    process.stdout.write(
      `(load average during the run: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${availableParallelism()} cores)\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
