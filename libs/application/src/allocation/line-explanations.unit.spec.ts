import { allocationDecider, streams, type AllocationLine, type CastBallot, type RecordAllocation } from '@civic/domain';
import { RunBallotCommand } from '../ballot/run-ballot-command';
import { createHarness, FUND_ID, knapsack, registerCsv, RESIDENT, STAFF, TIMES, WARD_POT, type Harness } from '../testing/harness';
import { ComputeAllocationCommand } from './compute-allocation';
import { GetPotResultsHandler, GetPotResultsQuery } from './get-pot-results';
import { RunAllocationCommand } from './run-allocation-command';

/** Ballots of the ward pot (£20,000, knapsack, equal shares with completion), by voter. */
const BALLOTS: Record<string, string[]> = {
  TH000000: ['benches', 'trees'],
  TH000001: ['benches', 'lights'],
  TH000002: ['trees'],
  TH000003: ['benches'],
  TH000004: ['lights', 'benches'],
  TH000005: ['trees', 'lights'],
};
const PROPOSALS = [
  { id: 'benches', pot: WARD_POT, cost: 8_000_00 },
  { id: 'trees', pot: WARD_POT, cost: 9_000_00 },
  { id: 'lights', pot: WARD_POT, cost: 5_000_00 },
  { id: 'fountain', pot: WARD_POT, cost: 19_000_00 },
];
const supportersOf = (id: string) =>
  Object.entries(BALLOTS)
    .filter(([, picks]) => picks.includes(id))
    .map(([voter]) => voter);

describe('allocation explanations as data', () => {
  let h: Harness;
  const ward = { fundId: FUND_ID, potId: WARD_POT.potId };
  const closeAndCompute = async () => {
    h.clock.set(TIMES.votingCloses);
    await h.fund('CloseVoting');
    h.clock.set(TIMES.afterVoting);
    return h.handlers.computeAllocation.execute(new ComputeAllocationCommand(FUND_ID, WARD_POT.potId, h.input(STAFF.system)));
  };
  const publish = async () => {
    for (const type of ['RatifyAllocation', 'PublishAllocation'] as const)
      await h.handlers.allocations.execute(new RunAllocationCommand(type, ward, h.input(STAFF.councillor)));
  };

  beforeEach(async () => {
    h = createHarness();
    await h.openVoting(registerCsv(6), PROPOSALS, [WARD_POT]);
    for (const [reference, picks] of Object.entries(BALLOTS))
      await h.handlers.ballots.execute(
        new RunBallotCommand<CastBallot>('CastBallot', { ...ward, voter: { reference }, content: knapsack(...picks) }, h.input(RESIDENT)),
      );
  });

  it('records every line’s explanation, agreeing with the line and with the ballots counted by hand', async () => {
    const { events } = await closeAndCompute();
    expect(events[0].metadata.schemaVersion).toBe(2);
    const lines = (events[0].data as { lines: AllocationLine[] }).lines;
    for (const line of lines) {
      const e = line.explanation!;
      expect(e.supporters).toBe(supportersOf(line.proposalId).length);
      const says = e.mes?.outcome === 'funded' || e.greedy?.outcome === 'funded';
      expect(says).toBe(line.funded);
      if (e.mes?.outcome === 'unaffordable') {
        const [num, den = '1'] = e.mes.effectiveSupport.split('/');
        const [mNum, mDen = '1'] = e.mes.supportersMoney.split('/');
        // Effective support = what the supporters had left ÷ the official cost (both in pence).
        const cost = PROPOSALS.find((p) => p.id === line.proposalId)!.cost;
        expect(BigInt(num) * BigInt(mDen) * BigInt(cost)).toBe(BigInt(mNum) * BigInt(den));
        expect(BigInt(num) < BigInt(den)).toBe(true);
        // Each overlap counts the supporters this proposal shares with a funded one.
        const funded = lines.filter((l) => l.funded).map((l) => l.proposalId);
        for (const o of e.mes.overlaps) {
          expect(funded).toContain(o.proposalId);
          expect(o.shared).toBe(supportersOf(line.proposalId).filter((v) => supportersOf(o.proposalId).includes(v)).length);
        }
      }
    }
    expect(lines.find((l) => l.proposalId === 'fountain')!.explanation!.mes).toEqual({ outcome: 'no_supporters' });
    // The data is worth reading: at least one proposal was refused by equal shares for want of its supporters' money.
    expect(lines.some((l) => l.explanation?.mes?.outcome === 'unaffordable')).toBe(true);
  });

  it('refuses an explanation that contradicts its line', async () => {
    await closeAndCompute();
    const fund = await h.runtime.reader.fund(FUND_ID);
    const accepted = await h.runtime.reader.acceptedProposals(fund, WARD_POT.potId);
    const state = await h.runtime.reader.allocation(WARD_POT.potId);
    if (state.status === 'none') throw new Error('no allocation');
    const lie = state.lines.map((l) =>
      l.funded ? { ...l, explanation: { supporters: 1, mes: { outcome: 'no_supporters' as const } } } : l,
    );
    const command = h.runtime.stamp<RecordAllocation>(
      'RecordAllocation',
      { ...ward, outcome: { ...state, lines: lie } },
      h.input(STAFF.system),
    );
    expect(() => allocationDecider.decide(command, state, { fund, acceptedProposals: accepted })).toThrow(
      expect.objectContaining({ code: 'ALLOCATION.INVALID' }),
    );
  });

  it('explains an allocation recorded before explanations were stored, from its recorded inputs', async () => {
    const computed = await closeAndCompute();
    const recorded = (computed.events[0].data as { lines: AllocationLine[] }).lines;
    // A second recording as the platform wrote them before: the same outcome, lines without explanations.
    const state = await h.runtime.reader.allocation(WARD_POT.potId);
    if (state.status === 'none') throw new Error('no allocation');
    const fund = await h.runtime.reader.fund(FUND_ID);
    const old = state.lines.map(({ explanation: _, ...rest }) => rest);
    const command = h.runtime.stamp<RecordAllocation>(
      'RecordAllocation',
      { ...ward, outcome: { ...state, lines: old } },
      h.input(STAFF.system),
    );
    await h.runtime.run({
      streamName: streams.allocation(WARD_POT.potId),
      decider: allocationDecider,
      command,
      context: async () => ({ fund, acceptedProposals: await h.runtime.reader.acceptedProposals(fund, WARD_POT.potId) }),
    });
    const now = await h.runtime.reader.allocation(WARD_POT.potId);
    expect(now.status !== 'none' && now.lines.every((l) => l.explanation === undefined)).toBe(true);
    await publish();
    const results = await new GetPotResultsHandler(h.runtime).execute(new GetPotResultsQuery(WARD_POT.potId));
    if (results.status !== 'published') throw new Error('not published');
    expect(results.lines.map((l) => [l.proposalId, l.explanation])).toEqual(recorded.map((l) => [l.proposalId, l.explanation]));
  });
});
