import { ComputeAllocationCommand, RunAllocationCommand, RunBallotCommand, RunResidentCommand } from '@civic/application';
import type { AllocationState, BallotContent, Pot } from '@civic/domain';
import type { EventStore } from '@civic/event-store';
// Relative: the application's test harness is not part of its public surface.
import {
  BOROUGH_POT,
  createHarness,
  FUND_ID,
  registerCsv,
  RESIDENT,
  STAFF,
  TIMES,
  WARD_POT,
} from '../../../../../libs/application/src/testing/harness';

/** The resident whose personal data no export may reveal once they are erased. */
export const ERASED = {
  reference: 'TH999999',
  name: 'Zebedee Quantrill',
  email: 'zebedee.quantrill@example.org',
  dateOfBirth: '1971-03-14',
};

export const PROPOSALS = [
  { id: 'benches', pot: WARD_POT, cost: 8_000_00 },
  { id: 'trees', pot: WARD_POT, cost: 9_000_00 },
  { id: 'lights', pot: WARD_POT, cost: 5_000_00 },
  { id: 'mural', pot: WARD_POT, cost: 3_500_50 },
  { id: 'library', pot: BOROUGH_POT, cost: 30_000_00 },
  { id: 'pool', pot: BOROUGH_POT, cost: 25_000_00 },
  { id: 'market', pot: BOROUGH_POT, cost: 15_000_00 },
];

const WARD_PICKS = [
  ['benches', 'trees'],
  ['lights', 'mural', 'benches'],
  ['trees', 'lights'],
  ['mural'],
  ['trees', 'mural', 'lights'],
  ['benches'],
];
const BOROUGH_PICKS = [['library'], ['pool', 'market'], ['market'], ['library', 'market'], ['pool']];

export interface FundHistory {
  /** The position of the last ballot cast in the first half of the vote, and the counted ballots then, per pot. */
  readonly midVote: { position: string; counted: Record<string, Record<string, string[]>> };
  readonly overridden: { potId: string; proposalId: string };
}

/**
 * A fund's life through the application's own handlers, as the API runs them: a register of
 * `voters` residents plus one with personal data, proposals in a ward pot (knapsack, equal
 * shares) and a borough pot (approval, greedy), every voter voting in both (some replacing,
 * some withdrawing), the named resident erased, then with `complete`: voting closed,
 * allocations computed, one line overridden, ratified and published, results published.
 */
export async function writeFundHistory(store: EventStore, voters: number, complete = true): Promise<FundHistory> {
  const h = createHarness(store);
  await h.openVoting(registerCsv(voters), PROPOSALS);
  await h.handlers.residents.execute(
    new RunResidentCommand(
      'ImportResident',
      { reference: ERASED.reference, ward: 'spitalfields', dateOfBirth: ERASED.dateOfBirth, name: ERASED.name, email: ERASED.email },
      h.input(STAFF.admin),
    ),
  );
  const references = [...Array.from({ length: voters }, (_, i) => `TH${String(i).padStart(6, '0')}`), ERASED.reference];
  const counted: Record<string, Record<string, string[]>> = { [WARD_POT.potId]: {}, [BOROUGH_POT.potId]: {} };
  const cast = async (reference: string, pot: Pot, picks: string[], type: 'CastBallot' | 'ReplaceBallot' = 'CastBallot') => {
    const content: BallotContent = { kind: pot.ballot.kind as 'knapsack' | 'approval', proposalIds: picks };
    const receipt = await h.handlers.ballots.execute(
      new RunBallotCommand(type, { fundId: FUND_ID, potId: pot.potId, voter: { reference }, content } as never, h.input(RESIDENT)),
    );
    counted[pot.potId][reference] = picks;
    return receipt.position!;
  };
  let midVote: FundHistory['midVote'] | undefined;
  for (const [i, reference] of references.entries()) {
    await cast(reference, WARD_POT, WARD_PICKS[i % WARD_PICKS.length]);
    const position = await cast(reference, BOROUGH_POT, BOROUGH_PICKS[(i * 7) % BOROUGH_PICKS.length]);
    if (i % 9 === 4) await cast(reference, WARD_POT, ['lights'], 'ReplaceBallot');
    if (i % 23 === 11) {
      await h.handlers.ballots.execute(
        new RunBallotCommand(
          'WithdrawBallot',
          { fundId: FUND_ID, potId: BOROUGH_POT.potId, voter: { reference } } as never,
          h.input(RESIDENT),
        ),
      );
      delete counted[BOROUGH_POT.potId][reference];
    }
    if (i === Math.floor(references.length / 2)) midVote = { position, counted: JSON.parse(JSON.stringify(counted)) };
  }
  await h.handlers.residents.execute(
    new RunResidentCommand(
      'EraseResident',
      { reference: ERASED.reference, reason: 'Erasure request, case 2026-117' },
      h.input(STAFF.admin),
    ),
  );
  const overridden = { potId: BOROUGH_POT.potId, proposalId: '' };
  if (complete) {
    h.clock.set(TIMES.votingCloses);
    await h.fund('CloseVoting');
    h.clock.set(TIMES.afterVoting);
    for (const pot of [WARD_POT, BOROUGH_POT]) {
      await h.handlers.computeAllocation.execute(new ComputeAllocationCommand(FUND_ID, pot.potId, h.input(STAFF.system)));
      if (pot === BOROUGH_POT) {
        const state = (await h.runtime.reader.allocation(pot.potId)) as Extract<AllocationState, { status: 'recorded' }>;
        overridden.proposalId = state.lines.find((l) => l.funded)!.proposalId;
        const payload = { fundId: FUND_ID, potId: pot.potId, proposalId: overridden.proposalId, funded: false, reason: 'Site unavailable' };
        await h.handlers.allocations.execute(new RunAllocationCommand('OverrideAllocationLine', payload, h.input(STAFF.councillor)));
      }
      for (const type of ['RatifyAllocation', 'PublishAllocation'] as const) {
        await h.handlers.allocations.execute(
          new RunAllocationCommand(type, { fundId: FUND_ID, potId: pot.potId }, h.input(STAFF.councillor)),
        );
      }
    }
    await h.fund('PublishResults');
    await h.fund('StartDelivery');
  }
  return { midVote: midVote!, overridden };
}
