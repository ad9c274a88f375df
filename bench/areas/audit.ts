/**
 * `npm run bench -- audit [--quick] [--events=N] [--workers=N]`: `audit verify` over a chained, checkpointed
 * history of 1,000,000 events in a SQLite file, against the raw read of the same rows with
 * one SHA-256 per row (the ceiling: no parsing, no canonical form, no chain, no Merkle tree).
 * Both run in child processes, so that each peak memory (VmHWM) is its own.
 */
import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  CHECKPOINT_EVENT_TYPE,
  CHECKPOINT_STREAM,
  defaultWitnessPath,
  eventHash,
  FileWitness,
  loadPublicKey,
  loadSigningKey,
  MerkleFrontier,
  merkleLeaf,
  signCheckpoint,
  SqliteAuditSource,
  verifyHistory,
  type SigningKey,
} from '@civic/audit';
import { SqliteEventStore } from '@civic/event-store-sqlite';
import { peakRssMb, printTable } from '../table';

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
    const hash = eventHash({ streamName: stream, revision, id, type, data: data as never, metadata: metadata as never, previous });
    heads.set(stream, { revision, hash });
    frontier.push(merkleLeaf(Buffer.from(hash, 'hex')));
    pending.push([id, stream, stream.split('-')[0], revision, type, JSON.stringify(data), JSON.stringify({ ...metadata, chain: { hash, previous } }), at]);
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
      await witness.record({ sequence, eventId: written.id, position: String(written.position), upToPosition, eventCount, merkleRoot, signature, keyId });
      previousCheckpoint = written.hash;
      sequence++;
    }
  }
  flush(pending);
  db.close();
}

/** In the child: `audit verify` as the CLI runs it (under ts-node), minus the printing. */
export async function verifyFile(path: string, publicPem: string, workers = 0) {
  const source = new SqliteAuditSource(path, { workers });
  const witnesses = [{ description: 'witness', records: await new FileWitness(defaultWitnessPath(path)).readAll() }];
  const t0 = process.hrtime.bigint();
  const report = await verifyHistory({ source, publicKey: loadPublicKey(publicPem), witnesses });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await source.close();
  return { seconds, ok: report.ok, events: report.eventsChecked, streams: report.streamsChecked, checkpoints: report.checkpointsChecked, failures: report.failures.slice(0, 3), peakMb: peakRssMb() };
}

/** In the child: the ceiling, every row read in order and hashed once. */
export function rawReadAndHash(path: string) {
  const db = new Database(path, { readonly: true });
  const t0 = process.hrtime.bigint();
  let events = 0;
  const stmt = db.prepare('SELECT position, event_id, stream_name, revision, type, data, metadata FROM events ORDER BY position').raw();
  for (const r of stmt.iterate() as IterableIterator<[number, string, string, number, string, string, string]>) {
    createHash('sha256').update(r[1]).update(r[2]).update(r[4]).update(r[5]).update(r[6]).digest();
    events++;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  db.close();
  return { seconds, events, peakMb: peakRssMb() };
}

function inChild<T>(call: string): Promise<T> {
  const script = `Promise.resolve(require('./bench/areas/audit').${call}).then((r) => process.stdout.write(JSON.stringify(r)))`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', script],
      { cwd: join(__dirname, '../..'), maxBuffer: 1 << 20 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as T)),
    );
  });
}

export async function run(flags: string[]): Promise<void> {
  const eventsFlag = flags.find((f) => f.startsWith('--events='));
  const count = eventsFlag ? Number(eventsFlag.split('=')[1]) : flags.includes('--quick') ? 100_000 : 1_000_000;
  const workersFlag = Number(flags.find((f) => f.startsWith('--workers='))?.split('=')[1] ?? 0);
  const dir = mkdtempSync(join(tmpdir(), 'civic-bench-audit-'));
  try {
    const { privateKey } = generateKeyPairSync('ed25519');
    const key = loadSigningKey(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const publicPem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const path = join(dir, 'history.sqlite');
    const t0 = Date.now();
    await buildHistory(path, count, key);
    const buildSeconds = (Date.now() - t0) / 1000;
    const raw = await inChild<{ seconds: number; events: number; peakMb: number }>(`rawReadAndHash(${JSON.stringify(path)})`);
    const rate = (n: number, s: number) => Math.round(n / s);
    const rawRate = rate(raw.events, raw.seconds);
    const rows: (string | number)[][] = [];
    for (const workers of workersFlag ? [0, workersFlag] : [0]) {
      const ours = await inChild<Awaited<ReturnType<typeof verifyFile>>>(`verifyFile(${JSON.stringify(path)}, ${JSON.stringify(publicPem)}, ${workers})`);
      if (!ours.ok || ours.events !== count) throw new Error(`verify did not pass the clean history: ${JSON.stringify(ours)}`);
      const oursRate = rate(ours.events, ours.seconds);
      const label = workers === 0 ? 'verify' : `verify --workers ${workers}`;
      rows.push([`${label}: events/s`, ours.events, oursRate, rawRate, `${(oursRate / rawRate).toFixed(2)}×`, '≥ 100,000', oursRate >= 100_000 ? 'ok' : 'MISSED']);
      rows.push([`${label}: peak memory (MB, VmHWM)`, ours.events, Math.round(ours.peakMb), Math.round(raw.peakMb), '', '< 300', ours.peakMb < 300 ? 'ok' : 'MISSED']);
      if (workers === 0) rows.push([`${label}: streams / checkpoints checked`, ours.events, `${ours.streams} / ${ours.checkpoints}`, '', '', '', '']);
    }
    rows.push(['building the history (raw inserts, chained)', count, rate(count, buildSeconds), '', '', '', '']);
    printTable(['measure', 'events', 'ours', 'raw read + SHA-256', 'ours ÷ raw', 'target', 'verdict'], rows);
    process.stdout.write(`(load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores)\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
