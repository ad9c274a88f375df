import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { isDomainError, type BallotContent, type CastBallot } from '@civic/domain';
import { PostgresEventStore } from '@civic/event-store-postgres';
import { ComputeAllocationHandler } from '../allocation/compute-allocation';
import { CommandRuntime } from '../command-handling/command-runtime';
import { RunFundCommand, RunFundCommandHandler } from '../fund/run-fund-command';
import { FixedClock } from '../ports/clock.port';
import { HmacPseudonymiser } from '../ports/hmac-pseudonymiser';
import { DerivedKeyPort } from '../ports/key.port';
import {
  createHarness,
  FUND_ID,
  knapsack,
  registerCsv,
  RESIDENT,
  SAMPLE_PROPOSALS,
  STAFF,
  TIMES,
  WARD_POT,
  type Harness,
} from '../testing/harness';
import { PostgresVotingGate, votingGateKey } from './postgres-voting-gate';
import { RunBallotCommand, RunBallotCommandHandler } from './run-ballot-command';

// A real server shared with other suites: give it room.
jest.setTimeout(60_000);

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** This run's own schema (dropped afterwards), and its own lock namespace. */
const RUN = `test_gate_${randomBytes(4).toString('hex')}`;
const gates: PostgresVotingGate[] = [];
const stores: PostgresEventStore[] = [];
afterAll(async () => {
  await Promise.all(gates.map((g) => g.end()));
  await Promise.all(stores.map((s) => s.close()));
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${RUN}" CASCADE`).finally(() => client.end());
});
/** A node's gate, with its own pool; keyed apart from other runs of this suite on the same server. */
const gateOfNode = (namespace: string) => {
  const gate = new PostgresVotingGate({ connectionString: DATABASE_URL, namespace, poolSize: 4 });
  gates.push(gate);
  return gate;
};
const connect = async () => {
  const store = await PostgresEventStore.connect({ connectionString: DATABASE_URL, schema: RUN, readYourWritesMs: 10_000 });
  stores.push(store);
  return store;
};

/** A promise and the function that settles it: to force an interleaving without sleeping. */
const deferred = <T = void>() => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};

/** Waits until PostgreSQL shows someone waiting for an advisory lock on this key. */
const untilWaiting = async (key: string) => {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    // Advisory locks show the 64-bit key as two 32-bit halves: classid (high) and objid (low).
    const k = BigInt.asUintN(64, BigInt(key));
    const [high, low] = [String(k >> 32n), String(k & 0xffffffffn)];
    for (;;) {
      const { rows } = await client.query(
        `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid::bigint = $1 AND objid::bigint = $2`,
        [high, low],
      );
      if (rows.length > 0) return;
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    await client.end();
  }
};

describe(PostgresVotingGate.name, () => {
  it('keys a fund by a stable 64-bit hash, apart per namespace', () => {
    expect(votingGateKey('civic-ledger', 'fund-2026')).toBe(votingGateKey('civic-ledger', 'fund-2026'));
    expect(votingGateKey('civic-ledger', 'fund-2026')).not.toBe(votingGateKey('civic-ledger', 'fund-2027'));
    expect(votingGateKey('civic-ledger', 'fund-2026')).not.toBe(votingGateKey('other', 'fund-2026'));
    expect(BigInt(votingGateKey('civic-ledger', 'fund-2026'))).toBe(BigInt.asIntN(64, BigInt(votingGateKey('civic-ledger', 'fund-2026'))));
  });

  it('lets ballots of two nodes run together, makes the close wait for them, and new ballots wait for the close', async () => {
    const namespace = `${RUN}-order`;
    const [a, b] = [gateOfNode(namespace), gateOfNode(namespace)];
    const key = votingGateKey(namespace, FUND_ID);
    const log: string[] = [];
    const [releaseA, releaseB] = [deferred(), deferred()];
    const [startedA, startedB] = [deferred(), deferred()];

    const ballotA = a.ballot(FUND_ID, async () => (log.push('A in'), startedA.resolve(), await releaseA.promise, log.push('A out')));
    const ballotB = b.ballot(FUND_ID, async () => (log.push('B in'), startedB.resolve(), await releaseB.promise, log.push('B out')));
    await Promise.all([startedA.promise, startedB.promise]); // both nodes' ballots hold the gate at once

    const closing = b.close(FUND_ID, async () => log.push('close'));
    await untilWaiting(key);
    const late = a.ballot(FUND_ID, async () => log.push('late ballot'));
    releaseA.resolve();
    await ballotA;
    releaseB.resolve();
    await Promise.all([ballotB, closing, late]);

    expect(log.slice(0, 2).sort()).toEqual(['A in', 'B in']);
    expect(log.slice(2)).toEqual(['A out', 'B out', 'close', 'late ballot']);
  });

  it('releases the gate when the work fails', async () => {
    const gate = gateOfNode(`${RUN}-fail`);
    await expect(gate.ballot(FUND_ID, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.close(FUND_ID, () => Promise.reject(new Error('bang')))).rejects.toThrow('bang');
    await expect(gate.close(FUND_ID, async () => 'closed')).resolves.toBe('closed');
  });

  describe('two API nodes on one PostgreSQL store, ballots racing the close', () => {
    let h: Harness;
    let nodeB: { ballots: RunBallotCommandHandler; closing: RunFundCommandHandler };
    const codeOf = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' && isDomainError(r.reason) ? r.reason.code : r.status);

    beforeAll(async () => {
      const namespace = `${RUN}-race`;
      // Node A: the harness, on its own store connection and gate. Node B: the same schema through
      // another pool, another gate and clock, sharing only the server (and the vault of keys).
      h = createHarness(await connect(), { gate: gateOfNode(namespace) });
      await h.openVoting(registerCsv(80), SAMPLE_PROPOSALS);
      const pseudonymiser = new HmacPseudonymiser(new DerivedKeyPort(Buffer.alloc(32, 7)));
      const storeB = await connect();
      const gateB = gateOfNode(namespace);
      const voting = new CommandRuntime(storeB, new FixedClock(TIMES.duringVoting), pseudonymiser, {}, gateB, h.vault);
      const closing = new CommandRuntime(storeB, new FixedClock(TIMES.votingCloses), pseudonymiser, {}, gateB, h.vault);
      nodeB = { ballots: new RunBallotCommandHandler(voting), closing: new RunFundCommandHandler(closing) };
    });

    it('counts every acknowledged ballot, refuses every other with BALLOT.VOTING_CLOSED, and the two cover every attempt', async () => {
      const ward = { fundId: FUND_ID, potId: WARD_POT.potId };
      const references = Array.from({ length: 80 }, (_, i) => `TH${String(i).padStart(6, '0')}`);
      const contents: BallotContent[] = [knapsack('trees'), knapsack('benches', 'lights')];
      // Even attempts go to node A, odd ones to node B.
      const attempt = (reference: string, i: number) =>
        (i % 2 ? nodeB.ballots : h.handlers.ballots).execute(
          new RunBallotCommand<CastBallot>('CastBallot', { ...ward, voter: { reference }, content: contents[i % 2] }, h.input(RESIDENT)),
        );
      let acknowledged = 0;
      let closed: Promise<unknown> | undefined;
      let secondWave: Promise<PromiseSettledResult<Awaited<ReturnType<typeof attempt>>>[]> | undefined;
      // Forced interleaving: at the 20th acknowledgment, node B closes while the rest of the first
      // wave is in flight on both nodes, and a second wave on both nodes follows right behind.
      const firstWave = references.slice(0, 40).map((reference, i) =>
        attempt(reference, i).then((receipt) => {
          if (++acknowledged === 20) {
            closed = nodeB.closing.execute(new RunFundCommand('CloseVoting', { fundId: FUND_ID }, h.input(STAFF.system)));
            secondWave = Promise.allSettled(references.slice(40).map((reference, i) => attempt(reference, i + 40)));
          }
          return receipt;
        }),
      );
      const results = [...(await Promise.allSettled(firstWave)), ...(await secondWave!)];
      await closed;

      const accepted = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.voter] : []));
      const refused = results.filter((r) => r.status === 'rejected');
      expect(refused.map(codeOf).filter((c) => c !== 'BALLOT.VOTING_CLOSED')).toEqual([]);
      expect(accepted.length + refused.length).toBe(references.length);
      expect(accepted.length).toBeGreaterThanOrEqual(20);
      expect(refused.length).toBeGreaterThan(0);

      // In the one global order, no ballot comes after the close.
      const history = (await h.store.readAll({ maxCount: 100_000 })).map((e) => e.type);
      expect(history.lastIndexOf('BallotCast')).toBeLessThan(history.indexOf('VotingClosed'));
      expect(history.filter((t) => t === 'BallotCast')).toHaveLength(accepted.length);

      // Counted, as node A reads them, and as the allocation records them.
      const counted = (await h.runtime.reader.countedBallots(WARD_POT.potId)).map((b) => b.voter);
      expect(counted.sort()).toEqual([...accepted].sort());
      h.clock.set(TIMES.afterVoting);
      const allocation = await new ComputeAllocationHandler(h.runtime).execute({
        fundId: FUND_ID,
        potId: WARD_POT.potId,
        input: h.input(STAFF.system),
      });
      expect(allocation.events[0].data).toMatchObject({ ballotCount: accepted.length });
    });
  });
});
