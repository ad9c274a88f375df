import { Test } from '@nestjs/testing';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { CastBallot, MergeProposal, OverrideAllocationLine, ReportMilestone, ReportSpend } from '@civic/domain';
import { InMemoryEventStore } from '@civic/event-store';
import { ComputeAllocationCommand } from './allocation/compute-allocation';
import { GetPotResultsQuery } from './allocation/get-pot-results';
import { RunAllocationCommand } from './allocation/run-allocation-command';
import { ApplicationModule } from './application.module';
import { RunBallotCommand } from './ballot/run-ballot-command';
import { RunDeliveryCommand } from './delivery/run-delivery-command';
import { RunFundCommand } from './fund/run-fund-command';
import { DerivedKeyPort } from './ports/key.port';
import { MergeDuplicatesCommand } from './proposal/merge-duplicates';
import { RunProposalCommand } from './proposal/run-proposal-command';
import { ImportRegisterCommand } from './resident/import-register';
import { createHarness, FUND_ID, knapsack, registerCsv, RESIDENT, STAFF, TIMES, WARD_POT } from './testing/harness';

describe('a fund through the command bus', () => {
  it('runs from the register to the close, with the allocation computed by the pot rule', async () => {
    const h = createHarness();
    const moduleRef = await Test.createTestingModule({
      imports: [
        ApplicationModule.forRoot({ store: h.store, keys: new DerivedKeyPort(Buffer.alloc(32, 7)), clock: h.clock, personalData: h.vault }),
      ],
    }).compile();
    await moduleRef.init();
    const bus = moduleRef.get(CommandBus);
    const as = h.input;
    const fund = (type: RunFundCommand['type'], actor = STAFF.admin) =>
      bus.execute(new RunFundCommand(type, { fundId: FUND_ID }, as(actor)));

    const schedule = {
      proposalsOpenAt: TIMES.proposalsOpen,
      reviewStartsAt: TIMES.review,
      votingOpensAt: TIMES.votingOpens,
      votingClosesAt: TIMES.votingCloses,
    };
    await bus.execute(
      new RunFundCommand(
        'CreateFund',
        { fundId: FUND_ID, name: 'You Decide!', description: 'Regeneration', currency: 'GBP', schedule, minimumAge: 16 },
        as(STAFF.admin),
      ),
    );
    await bus.execute(new RunFundCommand('AddPot', { fundId: FUND_ID, pot: WARD_POT }, as(STAFF.admin)));

    const imported = await bus.execute(
      new ImportRegisterCommand(`${registerCsv(5)}\nx!,spitalfields,1980-01-01\nTH000001,spitalfields,1980-01-01`, as(STAFF.admin)),
    );
    expect(imported).toEqual({
      imported: 5,
      refused: [
        { line: 7, code: 'RESIDENT.INVALID_REFERENCE', message: expect.any(String) },
        { line: 8, code: 'RESIDENT.ALREADY_REGISTERED', message: expect.any(String) },
      ],
    });
    await expect(bus.execute(new ImportRegisterCommand(registerCsv(5), as(RESIDENT)))).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });

    h.clock.set(TIMES.proposalsOpen);
    await fund('OpenProposals');
    const submit = (proposalId: string, estimatedCost: number) =>
      bus.execute(
        new RunProposalCommand(
          'SubmitProposal',
          {
            proposalId,
            fundId: FUND_ID,
            potId: WARD_POT.potId,
            title: proposalId,
            summary: 's',
            description: 'd',
            category: 'c',
            estimatedCost,
          },
          as(RESIDENT),
        ),
      );
    for (const [id, cost] of [
      ['benches', 8_000_00],
      ['trees', 9_000_00],
      ['trees-2', 9_000_00],
      ['lights', 5_000_00],
    ] as const)
      await submit(id, cost);
    h.clock.set(TIMES.review);
    await fund('StartReview');
    for (const [proposalId, officialCost] of [
      ['benches', 8_000_00],
      ['trees', 9_000_00],
      ['lights', 6_000_00],
    ] as const) {
      await bus.execute(new RunProposalCommand('AcceptProposal', { proposalId, officialCost }, as(STAFF.reviewer)));
    }
    const merge = as(STAFF.reviewer);
    await bus.execute(new MergeDuplicatesCommand('trees', ['trees-2'], merge));
    const again = await bus.execute(new MergeDuplicatesCommand('trees', ['trees-2'], merge));
    expect(again.every((r: { alreadyHandled: boolean }) => r.alreadyHandled)).toBe(true);
    await expect(
      bus.execute(
        new RunProposalCommand<MergeProposal>('MergeProposal', { proposalId: 'lights', survivorId: 'trees-2' }, as(STAFF.reviewer)),
      ),
    ).rejects.toMatchObject({ code: 'PROPOSAL.ALREADY_REVIEWED' });

    h.clock.set(TIMES.votingOpens);
    await fund('OpenVoting');
    await expect(
      bus.execute(new RunFundCommand('ChangePotRules', { fundId: FUND_ID, potId: WARD_POT.potId, rules: { budget: 1 } }, as(STAFF.admin))),
    ).rejects.toMatchObject({ code: 'FUND.RULES_FROZEN' });
    h.clock.set(TIMES.duringVoting);
    const vote = (reference: string, ...ids: string[]) =>
      bus.execute(
        new RunBallotCommand<CastBallot>(
          'CastBallot',
          { fundId: FUND_ID, potId: WARD_POT.potId, voter: { reference }, content: knapsack(...ids) },
          as(RESIDENT),
        ),
      );
    await vote('TH000000', 'benches', 'trees');
    await vote('TH000001', 'benches', 'trees');
    await vote('TH000002', 'trees', 'lights');
    await vote('TH000003', 'lights');
    await expect(bus.execute(new ComputeAllocationCommand(FUND_ID, WARD_POT.potId, as(STAFF.system)))).rejects.toMatchObject({
      code: 'ALLOCATION.VOTING_NOT_CLOSED',
    });

    h.clock.set(TIMES.votingCloses);
    await fund('CloseVoting', STAFF.system);
    h.clock.set(TIMES.afterVoting);
    const recorded = await bus.execute(new ComputeAllocationCommand(FUND_ID, WARD_POT.potId, as(STAFF.system)));
    const allocation = recorded.events[0].data;
    expect(allocation).toMatchObject({
      rule: 'mes_cost_add1_greedy',
      ballotCount: 4,
      budget: 20_000_00,
      inputDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(allocation.totalCost).toBeLessThanOrEqual(allocation.budget);
    expect(allocation.lines.map((l: { proposalId: string }) => l.proposalId)).toEqual(['benches', 'lights', 'trees']);
    for (const line of allocation.lines) expect(line.reason).toEqual(expect.any(String));

    // Recomputing from the same events gives the same digest and lines.
    const recomputed = await bus.execute(new ComputeAllocationCommand(FUND_ID, WARD_POT.potId, as(STAFF.system)));
    expect(recomputed.events[0].data).toEqual(allocation);

    const unfunded = allocation.lines.find((l: { funded: boolean }) => !l.funded);
    if (unfunded) {
      await expect(
        bus.execute(
          new RunAllocationCommand<OverrideAllocationLine>(
            'OverrideAllocationLine',
            { fundId: FUND_ID, potId: WARD_POT.potId, proposalId: unfunded.proposalId, funded: true, reason: 'r' },
            as(STAFF.councillor),
          ),
        ),
      ).rejects.toMatchObject({ code: 'ALLOCATION.OVER_BUDGET' });
    }
    await expect(fund('PublishResults', STAFF.councillor)).rejects.toMatchObject({ code: 'FUND.RESULTS_NOT_READY' });
    await bus.execute(new RunAllocationCommand('RatifyAllocation', { fundId: FUND_ID, potId: WARD_POT.potId }, as(STAFF.councillor)));
    const results = () => moduleRef.get(QueryBus).execute(new GetPotResultsQuery(WARD_POT.potId));
    expect(await results()).toEqual({ status: 'hidden' });
    await bus.execute(new RunAllocationCommand('PublishAllocation', { fundId: FUND_ID, potId: WARD_POT.potId }, as(STAFF.councillor)));
    expect(await results()).toMatchObject({ status: 'published', lines: allocation.lines });
    await fund('PublishResults', STAFF.councillor);
    await fund('StartDelivery');

    const funded = allocation.lines.find((l: { funded: boolean }) => l.funded).proposalId;
    h.clock.set('2026-06-01T10:00:00.000Z');
    await bus.execute(
      new RunDeliveryCommand<ReportMilestone>(
        'ReportMilestone',
        { fundId: FUND_ID, proposalId: funded, milestoneId: 'm1', title: 'Ordered', status: 'done', note: '' },
        as(STAFF.admin),
      ),
    );
    await bus.execute(
      new RunDeliveryCommand<ReportSpend>(
        'ReportSpend',
        { fundId: FUND_ID, proposalId: funded, spendId: 's1', amount: 1_000_00, description: 'Deposit', spentOn: '2026-05-30' },
        as(STAFF.admin),
      ),
    );
    await fund('CloseFund');
    expect((await h.runtime.reader.fund(FUND_ID)).status).toBe('closed');
    await moduleRef.close();
  });

  it('refuses a command without an actor', async () => {
    const h = createHarness(new InMemoryEventStore());
    h.clock.set(TIMES.created);
    await expect(
      h.handlers.fund.execute(
        new RunFundCommand('OpenProposals', { fundId: FUND_ID }, { commandId: 'c1', actor: { role: 'administrator', id: '' } }),
      ),
    ).rejects.toMatchObject({
      code: 'COMMAND.INVALID',
    });
  });
});
