/**
 * `npm run bench -- time-travel [--quick] [--events=N] [--every=N]`: `asOf` answers on a
 * history of 1,000,000 events (100,000 with `--quick`) in a SQLite file. The live read models
 * are folded from zero as the API does at its first start, taking snapshots every `--every`
 * events (the API's TIME_TRAVEL_SNAPSHOT_EVERY), and the same fold without snapshots is timed
 * beside it (what snapshots cost the live path). Then the time-travel service answers a pot's
 * tally at random positions: cold (nothing cached: the nearest snapshot is read from disk and
 * the events after it replayed) and warm (cached), against the replay from zero that time
 * travel did before snapshots (the baseline, measured in the same run on a few positions).
 * In process, through the service the resolvers call (HTTP adds the same few ms to both).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '@civic/config';
import { SqliteEventStore } from '@civic/event-store-sqlite';
import { ProjectionRunner, ReadModelDatabase, ReadModelSnapshots, Snapshotter } from '@civic/projections';
import { PROJECTIONS, TIME_TRAVEL_PROJECTIONS, TIME_TRAVEL_SET_APART } from '@civic/read-models';
import { TallyReader } from '../../apps/api/src/ballots/tally.reader';
import { TimeTravel } from '../../apps/api/src/time-travel/time-travel';
import { foldedFromZero } from '../../libs/projections/src/testing/folded-from-zero';
import { printTable } from '../table';
import { buildVotingHistory } from './time-travel-history';

const TARGET_P99_MS = 200;

const flag = (flags: string[], name: string) => flags.find((f) => f.startsWith(`--${name}=`))?.split('=')[1];

function quantiles(samples: number[]): { p50: number; p95: number; p99: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1] };
}

async function foldLive(store: SqliteEventStore, path: string, every: number | undefined) {
  const live = ReadModelDatabase.open(path, PROJECTIONS);
  const snapshots = every
    ? new ReadModelSnapshots(`${path}.snapshots`, TIME_TRAVEL_PROJECTIONS, { apart: TIME_TRAVEL_SET_APART })
    : undefined;
  const snapshotter = snapshots && new Snapshotter(live, snapshots, every!);
  const runner = new ProjectionRunner(store, live, { afterBatch: snapshotter?.afterBatch });
  const t0 = Date.now();
  await runner.start();
  await runner.stop();
  const foldSeconds = (Date.now() - t0) / 1000;
  await snapshotter?.idle();
  const allSeconds = (Date.now() - t0) / 1000;
  await snapshotter?.stop();
  if (snapshotter?.lastError) throw new Error(`a snapshot failed: ${snapshotter.lastError}`);
  return { live, snapshots, foldSeconds, allSeconds };
}

/** Time travel as it was before snapshots: the log replayed from zero into a new in-memory database. */
const replayFromZero = (store: SqliteEventStore, events: number) => foldedFromZero(store, TIME_TRAVEL_PROJECTIONS, events, 1000);

export async function run(flags: string[]): Promise<void> {
  const count = Number(flag(flags, 'events') ?? (flags.includes('--quick') ? 100_000 : 1_000_000));
  const every = Number(flag(flags, 'every') ?? 5000);
  const samples = flags.includes('--quick') ? 60 : 200;
  const baselineSamples = 3;
  const dir = mkdtempSync(join(tmpdir(), 'civic-bench-time-travel-'));
  try {
    const path = join(dir, 'history.sqlite');
    let t0 = Date.now();
    buildVotingHistory(path, count);
    const buildSeconds = (Date.now() - t0) / 1000;
    const store = new SqliteEventStore({ path });

    const plain = await foldLive(store, join(dir, 'plain.read.sqlite'), undefined);
    plain.live.close();
    const { live, snapshots, foldSeconds, allSeconds } = await foldLive(store, join(dir, 'live.read.sqlite'), every);
    const files = readdirSync(snapshots!.dir);
    const snapshotMb = files.reduce((sum, f) => sum + statSync(join(snapshots!.dir, f)).size, 0) / 1e6;

    const pots = (live.db.prepare(`SELECT pot_id FROM tally_pots`).pluck().all() as string[]).sort();
    const random = (n: number) => 1 + Math.floor(Math.random() * n);
    const config = { TIME_TRAVEL_CACHE: 8, TIME_TRAVEL_CACHE_MB: 256, TIME_TRAVEL_CONCURRENCY: 2 } as AppConfig;
    const ask = (tt: TimeTravel, position: string, potId: string) => tt.read(position, (rm) => new TallyReader(rm).tally(potId));

    // The baseline: the replay from zero, at a quarter, half and three quarters of the history (its p50 is a random position's mean).
    const baseline: number[] = [];
    for (let i = 0; i < baselineSamples; i++) {
      const at = Math.round((count * (i + 1)) / (baselineSamples + 1));
      t0 = performance.now();
      const rm = await replayFromZero(store, at);
      new TallyReader(rm).tally(pots[i % pots.length]);
      baseline.push(performance.now() - t0);
      // Spot check: the same answer from the snapshots.
      const tt = new TimeTravel(store, live, config, snapshots);
      const want = new TallyReader(rm).tally(pots[i % pots.length]);
      const got = await ask(tt, String(at), pots[i % pots.length]);
      if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`position ${at}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
      tt.clear();
      rm.close();
    }

    let replayed = 0;
    const cold: number[] = [];
    const coldCpu: number[] = [];
    const coldReplayed: number[] = [];
    for (let i = 0; i < samples; i++) {
      const tt = new TimeTravel(store, live, config, snapshots); // nothing cached
      tt.hooks = { replayed: (n) => (replayed += n) };
      const before = replayed;
      const position = String(random(count));
      const cpu0 = process.cpuUsage();
      t0 = performance.now();
      await ask(tt, position, pots[i % pots.length]);
      cold.push(performance.now() - t0);
      const cpu = process.cpuUsage(cpu0);
      coldCpu.push((cpu.user + cpu.system) / 1000);
      coldReplayed.push(replayed - before);
      tt.clear();
    }
    const tt = new TimeTravel(store, live, config, snapshots);
    const hot = Array.from({ length: 6 }, () => String(random(count)));
    for (const p of hot) await ask(tt, p, pots[0]);
    const warm: number[] = [];
    for (let i = 0; i < samples; i++) {
      t0 = performance.now();
      await ask(tt, hot[i % hot.length], pots[i % pots.length]);
      warm.push(performance.now() - t0);
    }
    // By time: the same service, an ISO time (resolved to a position first).
    const byTime: number[] = [];
    for (let i = 0; i < Math.min(samples, 50); i++) {
      const fresh = new TimeTravel(store, live, config, snapshots);
      const at = new Date(Date.parse('2026-01-01T00:00:00Z') + random(count)).toISOString();
      t0 = performance.now();
      await ask(fresh, at, pots[i % pots.length]);
      byTime.push(performance.now() - t0);
      fresh.clear();
    }
    tt.clear();
    // Of a cold answer: the nearest snapshot read from disk into memory, alone.
    const loads: number[] = [];
    for (let i = 0; i < Math.min(samples, 50); i++) {
      const at = snapshots!.nearest(random(count));
      if (at === undefined) continue;
      t0 = performance.now();
      (await snapshots!.load(at))?.close();
      loads.push(performance.now() - t0);
    }

    const base = quantiles(baseline);
    const row = (label: string, ms: number[]) => {
      const q = quantiles(ms);
      return [
        label,
        ms.length,
        q.p50.toFixed(1),
        q.p95.toFixed(1),
        q.p99.toFixed(1),
        q.max.toFixed(1),
        `${(base.p50 / q.p99).toFixed(0)}×`,
        q.p99 <= TARGET_P99_MS ? 'ok' : 'MISSED',
      ];
    };
    printTable(
      [
        'asOf at random positions',
        'requests',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'max ms',
        'replay from zero (p50) ÷ p99',
        `p99 ≤ ${TARGET_P99_MS} ms`,
      ],
      [
        [
          'replay from zero (before: the baseline)',
          baseline.length,
          base.p50.toFixed(0),
          base.p95.toFixed(0),
          base.p99.toFixed(0),
          base.max.toFixed(0),
          '1×',
          '',
        ],
        row('cold: nearest snapshot + replay', cold),
        row('cold, CPU time (what a busy machine disturbs less)', coldCpu),
        row('warm: cached', warm),
        row('cold, by ISO time', byTime),
        row('of a cold answer: reading the snapshot alone', loads),
      ],
    );
    const replays = quantiles(coldReplayed);
    process.stdout.write(
      `(${count.toLocaleString('en-GB')} events, history built in ${buildSeconds.toFixed(0)} s; events replayed per cold request: p50 ${replays.p50}, max ${replays.max} of ${every} between snapshots)\n`,
    );
    printTable(
      ['live fold from zero', 'seconds', 'events/s', 'snapshots', 'on disk MB', 'fold time ÷ without snapshots'],
      [
        ['without snapshots', plain.foldSeconds.toFixed(1), Math.round(count / plain.foldSeconds), '', '', '1.00×'],
        [
          `snapshots every ${every} events`,
          `${foldSeconds.toFixed(1)} (last copy done at ${allSeconds.toFixed(1)})`,
          Math.round(count / foldSeconds),
          snapshots!.eventCounts.length, // each of two files: the ballots apart
          snapshotMb.toFixed(0),
          `${(foldSeconds / plain.foldSeconds).toFixed(2)}×`,
        ],
      ],
    );
    process.stdout.write(
      `(load average during the run: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${availableParallelism()} cores)\n`,
    );
    live.close();
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
