import { randomUUID } from 'node:crypto';
import { ballotDecider, type Actor, type BallotContent, type BallotSource, type Pot } from '@civic/domain';
import { InMemoryEventStore, type EventStore } from '@civic/event-store';
import { ComputeAllocationCommand, ComputeAllocationHandler } from '../allocation/compute-allocation';
import { RunAllocationCommand, RunAllocationCommandHandler } from '../allocation/run-allocation-command';
import { RunBallotCommandHandler } from '../ballot/run-ballot-command';
import type { VotingGatePort } from '../ballot/voting-gate';
import type { CommandInput } from '../command-handling/command-input';
import { CommandRuntime } from '../command-handling/command-runtime';
import { RunDeliveryCommandHandler } from '../delivery/run-delivery-command';
import { RunFundCommand, RunFundCommandHandler } from '../fund/run-fund-command';
import { EnterPaperBatchHandler } from '../paper-batch/enter-paper-batch';
import { CorrectRefusedPaperEntryHandler } from '../paper-batch/correct-refused-entry';
import { RunPaperBatchCommandHandler } from '../paper-batch/run-paper-batch-command';
import { InMemoryPersonalDataVault } from '../personal-data/in-memory-personal-data-vault';
import { FixedClock } from '../ports/clock.port';
import type { ContactIndexPort } from '../ports/contact-index.port';
import type { PersonalDataVault } from '../ports/personal-data-vault.port';
import { HmacPseudonymiser } from '../ports/hmac-pseudonymiser';
import { DerivedKeyPort } from '../ports/key.port';
import { MergeDuplicatesHandler } from '../proposal/merge-duplicates';
import { RunProposalCommand, RunProposalCommandHandler } from '../proposal/run-proposal-command';
import { ImportRegisterCommand, ImportRegisterHandler } from '../resident/import-register';
import { residentIdFor, RunResidentCommandHandler } from '../resident/run-resident-command';
import { foldCategory } from '../reading/read-category';

export const STAFF = {
  admin: { role: 'administrator', id: 'staff-admin' } as Actor,
  reviewer: { role: 'reviewer', id: 'staff-reviewer' } as Actor,
  councillor: { role: 'councillor', id: 'staff-councillor' } as Actor,
  system: { role: 'system', id: 'scheduler' } as Actor,
};
/** A signed-in resident who is not on the register (ballots name their voter by reference; proposals need a resident on it). */
export const RESIDENT: Actor = { role: 'resident', id: 'session-user' };

export const TIMES = {
  created: '2026-01-05T09:00:00.000Z',
  proposalsOpen: '2026-02-01T09:00:00.000Z',
  review: '2026-03-01T09:00:00.000Z',
  votingOpens: '2026-04-01T09:00:00.000Z',
  duringVoting: '2026-04-07T12:00:00.000Z',
  votingCloses: '2026-04-15T21:00:00.000Z',
  afterVoting: '2026-04-16T09:00:00.000Z',
};

export const FUND_ID = 'fund-2026';
export const WARD_POT: Pot = {
  potId: 'pot-spitalfields',
  name: 'Spitalfields',
  scope: { kind: 'ward', ward: 'spitalfields' },
  budget: 20_000_00,
  ballot: { kind: 'knapsack' },
  rule: 'equal_shares_with_completion',
  tieBreak: { kind: 'lexico' },
};
export const BOROUGH_POT: Pot = {
  potId: 'pot-borough',
  name: 'Borough-wide',
  scope: { kind: 'borough' },
  budget: 50_000_00,
  ballot: { kind: 'approval', minPicks: 1, maxPicks: 2 },
  rule: 'greedy_by_votes',
  tieBreak: { kind: 'lexico' },
};

/** Every handler over one store, with a hand-set clock and fixed test keys: the `sut` of handler tests. */
export const createHarness = (
  store: EventStore = new InMemoryEventStore(),
  options: { maxAttempts?: number; gate?: VotingGatePort; vault?: PersonalDataVault; contacts?: ContactIndexPort } = {},
) => {
  const clock = new FixedClock(TIMES.created);
  const vault = options.vault ?? new InMemoryPersonalDataVault();
  const runtime = new CommandRuntime(
    store,
    clock,
    new HmacPseudonymiser(new DerivedKeyPort(Buffer.alloc(32, 7))),
    { maxAttempts: options.maxAttempts },
    options.gate,
    vault,
  );
  const residents = new RunResidentCommandHandler(runtime, options.contacts);
  const proposals = new RunProposalCommandHandler(runtime);
  const ballots = new RunBallotCommandHandler(runtime);
  const paperBatches = new RunPaperBatchCommandHandler(runtime);
  const handlers = {
    fund: new RunFundCommandHandler(runtime),
    residents,
    importRegister: new ImportRegisterHandler(residents),
    proposals,
    merge: new MergeDuplicatesHandler(proposals, runtime),
    ballots,
    paperBatches,
    enterPaperBatch: new EnterPaperBatchHandler(paperBatches, ballots, runtime),
    correctRefusedPaperEntry: new CorrectRefusedPaperEntryHandler(paperBatches, ballots, runtime),
    computeAllocation: new ComputeAllocationHandler(runtime),
    allocations: new RunAllocationCommandHandler(runtime),
    delivery: new RunDeliveryCommandHandler(runtime),
  };
  const input = (actor: Actor, commandId: string = randomUUID()): CommandInput => ({ commandId, actor });
  /** A resident as the API has them act: under the register's pseudonym of their reference. */
  const resident = async (reference: string): Promise<Actor> => ({ role: 'resident', id: await residentIdFor(runtime, reference) });
  const fund = (type: RunFundCommand['type'], payload: RunFundCommand['payload'] = { fundId: FUND_ID } as never) =>
    handlers.fund.execute(new RunFundCommand(type, payload, input(type === 'PublishResults' ? STAFF.councillor : STAFF.admin)));

  /** A fund with pots and a register of residents, open for proposals. */
  const openProposals = async (register: string, pots: readonly Pot[] = [WARD_POT, BOROUGH_POT]) => {
    const schedule = {
      proposalsOpenAt: TIMES.proposalsOpen,
      reviewStartsAt: TIMES.review,
      votingOpensAt: TIMES.votingOpens,
      votingClosesAt: TIMES.votingCloses,
    };
    await fund('CreateFund', {
      fundId: FUND_ID,
      name: 'You Decide! 2026',
      description: 'Regeneration',
      currency: 'GBP',
      schedule,
      minimumAge: 16,
    });
    for (const pot of pots) await fund('AddPot', { fundId: FUND_ID, pot });
    await handlers.importRegister.execute(new ImportRegisterCommand(register, input(STAFF.admin)));
    clock.set(TIMES.proposalsOpen);
    await fund('OpenProposals');
  };

  /** A fund with two pots, a register of residents, and accepted proposals, with voting open. */
  const openVoting = async (
    register: string,
    proposals: { id: string; pot: Pot; cost: number }[],
    pots: readonly Pot[] = [WARD_POT, BOROUGH_POT],
  ) => {
    await openProposals(register, pots);
    // The proposals' author is the register's first resident (proposing needs one on the register).
    const firstReference = register.split('\n')[1]?.split(',')[0];
    const author = firstReference ? await resident(firstReference) : RESIDENT;
    for (const p of proposals) {
      const content = { title: p.id, summary: p.id, description: p.id, category: 'streets', estimatedCost: p.cost };
      await proposals_(
        new RunProposalCommand('SubmitProposal', { proposalId: p.id, fundId: FUND_ID, potId: p.pot.potId, ...content }, input(author)),
      );
    }
    clock.set(TIMES.review);
    await fund('StartReview');
    for (const p of proposals)
      await proposals_(new RunProposalCommand('AcceptProposal', { proposalId: p.id, officialCost: p.cost }, input(STAFF.reviewer)));
    clock.set(TIMES.votingOpens);
    await fund('OpenVoting');
    clock.set(TIMES.duringVoting);
  };
  const proposals_ = (command: RunProposalCommand) => handlers.proposals.execute(command);

  /** From voting open to delivery: close, compute, ratify and publish every pot, publish the results. */
  const toDelivery = async (pots: readonly Pot[] = [WARD_POT, BOROUGH_POT]) => {
    clock.set(TIMES.votingCloses);
    await fund('CloseVoting');
    clock.set(TIMES.afterVoting);
    for (const { potId } of pots) {
      await handlers.computeAllocation.execute(new ComputeAllocationCommand(FUND_ID, potId, input(STAFF.system)));
      for (const type of ['RatifyAllocation', 'PublishAllocation'] as const) {
        await handlers.allocations.execute(new RunAllocationCommand(type, { fundId: FUND_ID, potId }, input(STAFF.councillor)));
      }
    }
    await fund('PublishResults');
    await fund('StartDelivery');
  };

  return { store, clock, vault, runtime, handlers, input, resident, fund, openProposals, openVoting, toDelivery };
};

export type Harness = ReturnType<typeof createHarness>;

/** A register of residents of Spitalfields (and one of Bow), as a council would export it. */
export const registerCsv = (count: number, ward = 'spitalfields'): string =>
  ['reference,ward,date_of_birth', ...Array.from({ length: count }, (_, i) => `TH${String(i).padStart(6, '0')},${ward},1980-01-01`)].join(
    '\n',
  );

/** Three proposals for the ward pot (£20,000) and one for the borough-wide pot. */
export const SAMPLE_PROPOSALS = [
  { id: 'benches', pot: WARD_POT, cost: 8_000_00 },
  { id: 'trees', pot: WARD_POT, cost: 9_000_00 },
  { id: 'lights', pot: WARD_POT, cost: 5_000_00 },
  { id: 'library', pot: BOROUGH_POT, cost: 30_000_00 },
];

export const knapsack = (...proposalIds: string[]): BallotContent => ({ kind: 'knapsack', proposalIds });

/** Where each counted ballot of a pot came from, by voter pseudonym: every ballot stream folded with the ballot decider. */
export async function countedSources(store: EventStore, potId: string): Promise<BallotSource[]> {
  const states = await foldCategory(store, 'ballot', ballotDecider.initialState, ballotDecider.evolve);
  return [...states.values()]
    .flatMap((b) => (b.status === 'cast' && b.potId === potId ? [b] : []))
    .sort((a, b) => (a.voter < b.voter ? -1 : a.voter > b.voter ? 1 : 0))
    .map((b) => b.source);
}
