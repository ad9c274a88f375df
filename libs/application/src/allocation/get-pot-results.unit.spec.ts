import { createHarness, SAMPLE_PROPOSALS, STAFF, TIMES, WARD_POT, FUND_ID } from '../testing/harness';
import { ComputeAllocationCommand } from './compute-allocation';
import { GetPotResultsHandler, GetPotResultsQuery } from './get-pot-results';
import { RunAllocationCommand } from './run-allocation-command';

describe(GetPotResultsHandler.name, () => {
  it('hides the results of a pot until they are published', async () => {
    const h = createHarness();
    const sut = new GetPotResultsHandler(h.runtime);
    const results = () => sut.execute(new GetPotResultsQuery(WARD_POT.potId));
    await h.openVoting('reference,ward,date_of_birth', SAMPLE_PROPOSALS);
    h.clock.set(TIMES.votingCloses);
    await h.fund('CloseVoting');
    await h.handlers.computeAllocation.execute(new ComputeAllocationCommand(FUND_ID, WARD_POT.potId, h.input(STAFF.system)));
    expect(await results()).toEqual({ status: 'hidden' });
    await h.handlers.allocations.execute(
      new RunAllocationCommand('RatifyAllocation', { fundId: FUND_ID, potId: WARD_POT.potId }, h.input(STAFF.councillor)),
    );
    expect(await results()).toEqual({ status: 'hidden' });
    await h.handlers.allocations.execute(
      new RunAllocationCommand('PublishAllocation', { fundId: FUND_ID, potId: WARD_POT.potId }, h.input(STAFF.councillor)),
    );
    expect(await results()).toMatchObject({ status: 'published', rule: 'mes_cost_add1_greedy', budget: WARD_POT.budget });
  });
});
