import type { AddPot, CreateFund } from '@civic/domain';
import { createHarness, STAFF, TIMES, WARD_POT, type Harness } from '../testing/harness';
import { RunFundCommand, RunFundCommandHandler } from './run-fund-command';

describe(RunFundCommandHandler.name, () => {
  let h: Harness;
  const schedule = {
    proposalsOpenAt: TIMES.proposalsOpen,
    reviewStartsAt: TIMES.review,
    votingOpensAt: TIMES.votingOpens,
    votingClosesAt: TIMES.votingCloses,
  };
  const create = (commandId: string) =>
    h.handlers.fund.execute(
      new RunFundCommand<CreateFund>(
        'CreateFund',
        { name: 'Fund', description: 'A fund', currency: 'GBP', schedule, minimumAge: 16 },
        h.input(STAFF.admin, commandId),
      ),
    );
  const { potId: _, ...unnamedPot } = WARD_POT;
  const addPot = (fundId: string, commandId: string) =>
    h.handlers.fund.execute(new RunFundCommand<AddPot>('AddPot', { fundId, pot: unnamedPot }, h.input(STAFF.admin, commandId)));
  const created = async () => (await h.store.readAll()).filter((e) => e.type === 'FundCreated');

  beforeEach(() => (h = createHarness()));

  it('names a fund sent without an id from the command id: a retry answers as the first call did and writes nothing', async () => {
    const first = await create('create-1');
    const again = await create('create-1');
    expect(first).toMatchObject({ alreadyHandled: false, chosenId: expect.any(String), streamName: `fund-${first.chosenId}` });
    expect(again).toMatchObject({ alreadyHandled: true, chosenId: first.chosenId, revision: first.revision, position: first.position });
    expect(await created()).toHaveLength(1);
    expect((await create('create-2')).chosenId).not.toBe(first.chosenId);
    expect(await created()).toHaveLength(2);
  });

  it('names a pot sent without an id from the command id, so a retry adds it once', async () => {
    const fundId = (await create('create-1')).chosenId!;
    const first = await addPot(fundId, 'pot-1');
    await expect(addPot(fundId, 'pot-1')).resolves.toMatchObject({ alreadyHandled: true, chosenId: first.chosenId });
    const fund = await h.runtime.reader.fund(fundId);
    expect(fund.pots.map((p) => p.potId)).toEqual([first.chosenId]);
  });
});
