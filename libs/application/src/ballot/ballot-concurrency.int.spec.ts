import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  allocationDecider,
  ballotDecider,
  fundDecider,
  isDomainError,
  paperBatchDecider,
  proposalDecider,
  residentDecider,
  type BallotContent,
  type CastBallot,
  type Decider,
  type ReplaceBallot,
} from '@civic/domain';
import { SqliteEventStore } from '@civic/event-store-sqlite';
import { ComputeAllocationHandler } from '../allocation/compute-allocation';
import { CommandRuntime } from '../command-handling/command-runtime';
import { loadStream } from '../command-handling/load-stream';
import { RunFundCommand, RunFundCommandHandler } from '../fund/run-fund-command';
import { FixedClock } from '../ports/clock.port';
import { HmacPseudonymiser } from '../ports/hmac-pseudonymiser';
import { DerivedKeyPort } from '../ports/key.port';
import { foldCategory } from '../reading/read-category';
import {
  createHarness,
  FUND_ID,
  registerCsv,
  RESIDENT,
  STAFF,
  TIMES,
  WARD_POT,
  knapsack,
  SAMPLE_PROPOSALS,
  type Harness,
} from '../testing/harness';
import { RunBallotCommand } from './run-ballot-command';

// Real files, real fsyncs: give a loaded CI machine room.
jest.setTimeout(30_000);

const dir = mkdtempSync(join(tmpdir(), 'civic-ballots-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ward = { fundId: FUND_ID, potId: WARD_POT.potId };
const codeOf = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' && isDomainError(r.reason) ? r.reason.code : r.status);

describe('ballots through the real handlers on the real SQLite store', () => {
  let store: SqliteEventStore;
  let h: Harness;
  const cast = (reference: string, content: BallotContent) =>
    h.handlers.ballots.execute(
      new RunBallotCommand<CastBallot>('CastBallot', { ...ward, voter: { reference }, content }, h.input(RESIDENT)),
    );

  beforeEach(async () => {
    store = new SqliteEventStore({ path: join(dir, `store-${++n}.sqlite`) });
    h = createHarness(store, { maxAttempts: 5 });
    await h.openVoting(registerCsv(60), SAMPLE_PROPOSALS);
  });
  afterEach(() => store.close());

  it('50 concurrent ballots from one resident leave exactly one ballot', async () => {
    // The same resident, typing the reference five ways, from fifty tabs at once.
    const typed = ['TH000007', 'th000007', ' TH 000 007 ', 'ＴＨ０００００７', 'Th000007'];
    const contents = [knapsack('benches'), knapsack('trees'), knapsack('lights'), knapsack('benches', 'lights')];
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => cast(typed[i % typed.length], contents[i % contents.length])),
    );

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.map(codeOf).filter((c) => c !== 'fulfilled')).toEqual(Array(49).fill('BALLOT.ALREADY_CAST'));
    const counted = await h.runtime.reader.countedBallots(WARD_POT.potId);
    expect(counted).toHaveLength(1);
    const ballots = await store.readAll({ filter: { streamCategories: ['ballot'] } });
    expect(ballots.map((e) => e.type)).toEqual(['BallotCast']);
  });

  it('50 concurrent replacements by one resident leave one ballot: the latest in the stream', async () => {
    const { streamName } = await cast('TH000007', knapsack('benches'));
    const contents = [knapsack('trees'), knapsack('lights'), knapsack('benches', 'lights')];
    const replace = (i: number) =>
      h.handlers.ballots.execute(
        new RunBallotCommand<ReplaceBallot>(
          'ReplaceBallot',
          { ...ward, voter: { reference: 'TH000007' }, content: contents[i % 3] },
          h.input(RESIDENT),
        ),
      );
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => replace(i)));
    const accepted = results.filter((r) => r.status === 'fulfilled').length;
    // Every replacement either landed (after deciding again on a conflict) or gave up with a code, never silently.
    expect(results.map(codeOf).every((c) => c === 'fulfilled' || c === 'COMMAND.CONFLICT')).toBe(true);
    const events = await store.readStream(streamName);
    expect(events).toHaveLength(1 + accepted);
    const counted = await h.runtime.reader.countedBallots(WARD_POT.potId);
    expect(counted).toHaveLength(1);
    expect(counted[0].content).toEqual((events[events.length - 1].data as { content: unknown }).content);
  });

  it('ballots racing the close of voting: every accepted ballot is counted, every rejected one is not, and together they are all', async () => {
    // The close runs with its own clock (at the scheduled close) but the same store and gate.
    const closeClock = new FixedClock(TIMES.votingCloses);
    const closing = new CommandRuntime(
      store,
      closeClock,
      new HmacPseudonymiser(new DerivedKeyPort(Buffer.alloc(32, 7))),
      {},
      h.runtime.gate,
      h.vault,
    );
    const close = () =>
      new RunFundCommandHandler(closing).execute(new RunFundCommand('CloseVoting', { fundId: FUND_ID }, h.input(STAFF.system)));

    const references = Array.from({ length: 60 }, (_, i) => `TH${String(i).padStart(6, '0')}`);
    let acknowledged = 0;
    let secondWave: Promise<PromiseSettledResult<Awaited<ReturnType<typeof cast>>>[]> | undefined;
    let closed: Promise<unknown> | undefined;
    const attempt = (reference: string, i: number) => cast(reference, i % 2 ? knapsack('benches', 'lights') : knapsack('trees'));
    // Forced interleaving: the moment the 15th ballot of the first wave is acknowledged, the close is
    // sent while the rest of that wave is in flight, and a second wave follows right behind it.
    const firstWave = references.slice(0, 30).map((reference, i) =>
      attempt(reference, i).then((receipt) => {
        if (++acknowledged === 15) {
          closed = close();
          secondWave = Promise.allSettled(references.slice(30).map(attempt));
        }
        return receipt;
      }),
    );
    const results = [...(await Promise.allSettled(firstWave)), ...(await secondWave!)];
    await closed;

    const accepted = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.voter] : []));
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected.map(codeOf).every((c) => c === 'BALLOT.VOTING_CLOSED')).toBe(true);
    expect(accepted.length + rejected.length).toBe(references.length);
    expect(accepted.length).toBeGreaterThanOrEqual(15);
    expect(rejected.length).toBeGreaterThan(0);

    h.clock.set(TIMES.afterVoting);
    const allocation = await new ComputeAllocationHandler(h.runtime).execute({
      fundId: FUND_ID,
      potId: WARD_POT.potId,
      input: h.input(STAFF.system),
    });
    const recorded = allocation.events[0].data as { ballotCount: number; totalCost: number; budget: number };
    expect(recorded.ballotCount).toBe(accepted.length);
    expect(recorded.totalCost).toBeLessThanOrEqual(recorded.budget);
    const counted = (await h.runtime.reader.countedBallots(WARD_POT.potId)).map((b) => b.voter);
    expect(counted.sort()).toEqual([...accepted].sort());
  });

  it("replaying the fund's events from zero on a reopened file gives the same state as the live one", async () => {
    await cast('TH000001', knapsack('benches'));
    await cast('TH000002', knapsack('trees', 'lights'));
    h.clock.set(TIMES.votingCloses);
    await h.fund('CloseVoting');
    h.clock.set(TIMES.afterVoting);
    await new ComputeAllocationHandler(h.runtime).execute({ fundId: FUND_ID, potId: WARD_POT.potId, input: h.input(STAFF.system) });

    const deciders: Record<string, Decider<never, never, unknown, never>> = {
      fund: fundDecider,
      resident: residentDecider,
      proposal: proposalDecider,
      ballot: ballotDecider,
      paperbatch: paperBatchDecider,
      allocation: allocationDecider,
    } as never;
    const live = new Map<string, unknown>();
    for (const e of await store.readAll({ maxCount: 100000 })) {
      if (!live.has(e.streamName))
        live.set(e.streamName, (await loadStream(store, e.streamName, deciders[e.streamName.split('-')[0]])).state);
    }
    const reopened = new SqliteEventStore({ path: store.path });
    try {
      const replayed = new Map<string, unknown>();
      for (const [category, decider] of Object.entries(deciders)) {
        for (const [stream, state] of await foldCategory(reopened, category, decider.initialState, decider.evolve))
          replayed.set(stream, state);
      }
      expect(replayed).toEqual(live);
      expect(live.size).toBeGreaterThan(60);
    } finally {
      await reopened.close();
    }
  });
});
