import { allocate } from '@civic/allocation';
import type { CastBallot, Pot, ReplaceBallot } from '@civic/domain';
import { RunBallotCommand } from '../ballot/run-ballot-command';
import {
  BOROUGH_POT,
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
import { allocationInputs } from './allocation-inputs';
import { ComputeAllocationCommand, ComputeAllocationHandler } from './compute-allocation';
import { RunAllocationCommand } from './run-allocation-command';

describe(ComputeAllocationHandler.name, () => {
  let h: Harness;
  const ward = { fundId: FUND_ID, potId: WARD_POT.potId };
  const vote = (reference: string, ...ids: string[]) =>
    h.handlers.ballots.execute(
      new RunBallotCommand<CastBallot>('CastBallot', { ...ward, voter: { reference }, content: knapsack(...ids) }, h.input(RESIDENT)),
    );
  const compute = (potId = WARD_POT.potId) =>
    h.handlers.computeAllocation.execute(new ComputeAllocationCommand(FUND_ID, potId, h.input(STAFF.system)));
  const close = async () => {
    h.clock.set(TIMES.votingCloses);
    await h.fund('CloseVoting');
    h.clock.set(TIMES.afterVoting);
  };
  const setUp = async (pots?: readonly Pot[]) => {
    h = createHarness();
    await h.openVoting(
      registerCsv(6),
      SAMPLE_PROPOSALS.map((p) => ({ ...p, pot: pots?.find((q) => q.potId === p.pot.potId) ?? p.pot })),
      pots,
    );
    await vote('TH000000', 'benches', 'trees');
    await vote('TH000001', 'benches', 'lights');
    await vote('TH000002', 'trees');
  };

  it('records what the library computes, with the official costs, reasons, and the digest of its inputs', async () => {
    await setUp();
    await close();
    const { events } = await compute();
    const data = events[0].data as {
      lines: { proposalId: string; funded: boolean; amount: number; reason: string }[];
      inputDigest: string;
    };
    const fund = await h.runtime.reader.fund(FUND_ID);
    const accepted = await h.runtime.reader.acceptedProposals(fund, WARD_POT.potId);
    const inputs = allocationInputs(FUND_ID, WARD_POT, accepted, await h.runtime.reader.countedBallots(WARD_POT.potId));
    const expected = allocate(inputs.election, 'mes_cost_add1_greedy', { tieBreak: 'lexico' });
    expect(data.inputDigest).toBe(inputs.digest);
    expect(
      data.lines
        .filter((l) => l.funded)
        .map((l) => l.proposalId)
        .sort(),
    ).toEqual([...expected.selected].sort());
    for (const line of data.lines)
      expect(line.amount).toBe(line.funded ? accepted.find((a) => a.proposalId === line.proposalId)!.officialCost : 0);
    for (const line of data.lines) expect(line.reason).toBe(expected.explanation[line.proposalId].summary);
  });

  it('changes the digest when a counted ballot changes, and not otherwise', async () => {
    await setUp();
    const fund = await h.runtime.reader.fund(FUND_ID);
    const digest = async () =>
      allocationInputs(
        FUND_ID,
        WARD_POT,
        await h.runtime.reader.acceptedProposals(fund, WARD_POT.potId),
        await h.runtime.reader.countedBallots(WARD_POT.potId),
      ).digest;
    const before = await digest();
    expect(await digest()).toBe(before);
    await h.handlers.ballots.execute(
      new RunBallotCommand<ReplaceBallot>(
        'ReplaceBallot',
        { ...ward, voter: { reference: 'TH000002' }, content: knapsack('lights') },
        h.input(RESIDENT),
      ),
    );
    expect(await digest()).not.toBe(before);
  });

  it('breaks ties with the seeded equal-shares order when the pot says so', async () => {
    const seeded: Pot = { ...WARD_POT, tieBreak: { kind: 'equalshares', seed: 'drawn-in-public-2026' } };
    await setUp([seeded, BOROUGH_POT]);
    await close();
    await expect(compute()).resolves.toMatchObject({ alreadyHandled: false });
  });

  it('uses greedy by votes for the borough pot', async () => {
    await setUp();
    await close();
    const { events } = await compute(BOROUGH_POT.potId);
    expect(events[0].data).toMatchObject({ rule: 'greedy_cost', ballotCount: 0 });
  });

  it('refuses before voting closes, for an unknown pot, and after ratification', async () => {
    await setUp();
    await expect(compute()).rejects.toMatchObject({ code: 'ALLOCATION.VOTING_NOT_CLOSED' });
    await close();
    await expect(compute('pot-x')).rejects.toMatchObject({ code: 'FUND.POT_NOT_FOUND' });
    await compute();
    await h.handlers.allocations.execute(new RunAllocationCommand('RatifyAllocation', ward, h.input(STAFF.councillor)));
    await expect(compute()).rejects.toMatchObject({ code: 'ALLOCATION.ALREADY_RATIFIED' });
  });
});
