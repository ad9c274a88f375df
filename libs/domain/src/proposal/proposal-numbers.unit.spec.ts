import { proposalDecider, proposalNumbersDecider } from '../deciders';
import { deciderSpec } from '../testing/decider-spec';
import { actors, command, FUND_ID, fundAt, past, T, wardPot } from '../testing/fixtures';
import type { AcceptProposal } from './proposal.commands';
import type { ProposalEvent } from './proposal.events';
import { PROPOSAL_NUMBERS_FOLDED, type ProposalNumberEvent, type ReserveProposalNumber } from './proposal-numbers';

const numbers = deciderSpec(proposalNumbersDecider);
const reserve = (proposalId: string, actor = actors.reviewer) =>
  command<ReserveProposalNumber>('ReserveProposalNumber', { fundId: FUND_ID, proposalId }, actor, T.review);
const reserved = (proposalId: string, number: number) =>
  past<ProposalNumberEvent>('ProposalNumberReserved', { fundId: FUND_ID, proposalId, number }, T.review);

describe('proposal numbers', () => {
  it('gives the first accepted proposal of a fund number 1', () =>
    numbers()
      .when(reserve('p-a'), undefined)
      .then({ type: 'ProposalNumberReserved', data: { fundId: FUND_ID, proposalId: 'p-a', number: 1 } }));

  it('gives each next proposal the next number', () =>
    numbers([reserved('p-a', 1), reserved('p-b', 2)])
      .when(reserve('p-c'), undefined)
      .then({ type: 'ProposalNumberReserved', data: { fundId: FUND_ID, proposalId: 'p-c', number: 3 } }));

  it('keeps the number a proposal already holds: nothing new is reserved', () =>
    numbers([reserved('p-a', 1), reserved('p-b', 2)])
      .when(reserve('p-a'), undefined)
      .thenNothing());

  it('decides on the latest reservations as on the whole stream: the next number, and a proposal reserved lately keeps its own', () => {
    const history = Array.from({ length: PROPOSAL_NUMBERS_FOLDED * 2 + 5 }, (_, i) => reserved(`p-${i}`, i + 1));
    const fold = (events: ProposalNumberEvent[]) => events.reduce(proposalNumbersDecider.evolve, proposalNumbersDecider.initialState());
    const whole = fold(history);
    const latest = fold(history.slice(-PROPOSAL_NUMBERS_FOLDED));
    for (const state of [whole, latest]) {
      expect(proposalNumbersDecider.decide(reserve('p-new'), state, undefined).map((e) => e.data.number)).toEqual([history.length + 1]);
      expect(proposalNumbersDecider.decide(reserve(`p-${history.length - 1}`), state, undefined)).toEqual([]);
    }
    expect(latest).toEqual(whole);
    expect(proposalNumbersDecider.foldsLast).toBe(PROPOSAL_NUMBERS_FOLDED);
  });

  it('is for reviewers', () => numbers().when(reserve('p-a', actors.resident()), undefined).thenRejects('AUTH.FORBIDDEN'));
});

describe('AcceptProposal with a reserved number', () => {
  const spec = deciderSpec(proposalDecider);
  const submitted = past<ProposalEvent>(
    'ProposalSubmitted',
    {
      proposalId: 'p-a',
      fundId: FUND_ID,
      potId: wardPot.potId,
      authorId: 'author',
      title: 't',
      summary: 's',
      description: 'd',
      category: 'c',
      estimatedCost: 100,
    },
    T.proposalsOpen,
  );
  const accept = command<AcceptProposal>('AcceptProposal', { proposalId: 'p-a', officialCost: 90 }, actors.reviewer, T.review);

  it('records the number with the acceptance', () =>
    spec([submitted])
      .when(accept, { fund: fundAt('review'), number: 7 })
      .then({ type: 'ProposalAccepted', data: { proposalId: 'p-a', officialCost: 90, number: 7 } }));

  it('marks the acceptance as schema version 2', () => {
    const [event] = proposalDecider.decide(accept, proposalDecider.evolve(proposalDecider.initialState(), submitted), {
      fund: fundAt('review'),
      number: 7,
    });
    expect(event.metadata.schemaVersion).toBe(2);
  });

  it.each([0, -1, 1.5])('refuses a number that is not a positive whole number (%s)', (number) =>
    spec([submitted])
      .when(accept, { fund: fundAt('review'), number })
      .thenRejects('PROPOSAL.INVALID'),
  );
});
