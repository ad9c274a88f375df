import { fundDecider } from '../deciders';
import { deciderSpec } from '../testing/decider-spec';
import { actors, boroughPot, command, FUND_ID, fundHistory, past, schedule, T, wardPot } from '../testing/fixtures';
import type { AddPot, ChangePotRules, CreateFund, FundCommand, RescheduleFund } from './fund.commands';
import type { FundEvent } from './fund.events';
import type { Pot } from './pot';

const spec = deciderSpec(fundDecider);
const details = { fundId: FUND_ID, name: 'You Decide! 2026', description: 'Regeneration fund', currency: 'GBP', schedule, minimumAge: 16 };
const create = (payload = details, actor = actors.admin) => command<CreateFund>('CreateFund', payload, actor, T.created);
const addPot = (pot: Pot, time: string = T.created) => command<AddPot>('AddPot', { fundId: FUND_ID, pot }, actors.admin, time);
const change = (rules: ChangePotRules['payload']['rules'], time: string = T.created) =>
  command<ChangePotRules>('ChangePotRules', { fundId: FUND_ID, potId: boroughPot.potId, rules }, actors.admin, time);
const phase = (type: FundCommand['type'], time: string, actor = actors.admin) =>
  command<FundCommand>(type, { fundId: FUND_ID } as never, actor, time);

describe('fund', () => {
  describe('CreateFund', () => {
    it('creates a fund in draft', () => spec().when(create(), undefined).then({ type: 'FundCreated', data: details }));
    it('records the command in the metadata with its schema version', () => {
      const cmd = create();
      const [event] = fundDecider.decide(cmd, fundDecider.initialState(), undefined);
      expect(event.metadata).toEqual({
        commandId: cmd.metadata.commandId,
        actorRole: 'administrator',
        actorId: 'staff-admin',
        correlationId: cmd.metadata.correlationId,
        causationId: cmd.metadata.causationId,
        time: T.created,
        schemaVersion: 1,
      });
    });
    it('is for administrators only', () => spec().when(create(details, actors.resident()), undefined).thenRejects('AUTH.FORBIDDEN'));
    it('refuses an existing fund', () => spec(fundHistory('draft')).when(create(), undefined).thenRejects('FUND.ALREADY_EXISTS'));
    it('refuses an empty name', () =>
      spec()
        .when(create({ ...details, name: ' ' }), undefined)
        .thenRejects('FUND.INVALID_DETAILS'));
    it('refuses a currency that is not ISO 4217', () =>
      spec()
        .when(create({ ...details, currency: 'pounds' }), undefined)
        .thenRejects('FUND.INVALID_DETAILS'));
    it('refuses a schedule out of order', () =>
      spec()
        .when(create({ ...details, schedule: { ...schedule, votingClosesAt: schedule.votingOpensAt } }), undefined)
        .thenRejects('FUND.INVALID_SCHEDULE'));
    it('refuses a minimum age that is not whole years', () =>
      spec()
        .when(create({ ...details, minimumAge: 15.5 }), undefined)
        .thenRejects('FUND.INVALID_DETAILS'));
    it('refuses a bad fund id', () =>
      spec()
        .when(create({ ...details, fundId: 'a b' }), undefined)
        .thenRejects('COMMAND.INVALID'));
  });

  describe('a retried command', () => {
    it('has its effect once', () => {
      const cmd = create();
      const events = fundDecider.decide(cmd, fundDecider.initialState(), undefined);
      const state = events.reduce(fundDecider.evolve, fundDecider.initialState());
      expect(fundDecider.decide(cmd, state, undefined)).toEqual([]);
    });
  });

  describe('RescheduleFund', () => {
    const later = { ...schedule, votingClosesAt: '2026-04-20T21:00:00Z' };
    const reschedule = (time: string) =>
      command<RescheduleFund>('RescheduleFund', { fundId: FUND_ID, schedule: later }, actors.admin, time);
    it('moves the schedule before voting', () =>
      spec(fundHistory('review'))
        .when(reschedule(T.review), undefined)
        .then({ type: 'FundRescheduled', data: { fundId: FUND_ID, schedule: later } }));
    it('refuses once voting has opened', () =>
      spec(fundHistory('voting_open')).when(reschedule(T.duringVoting), undefined).thenRejects('FUND.WRONG_PHASE'));
    it('refuses an unknown fund', () => spec().when(reschedule(T.created), undefined).thenRejects('FUND.NOT_FOUND'));
  });

  describe('AddPot', () => {
    it('adds a ward pot', () =>
      spec(fundHistory('draft', [boroughPot]))
        .when(addPot(wardPot), undefined)
        .then({ type: 'PotAdded', data: { fundId: FUND_ID, pot: wardPot } }));
    it('refuses a second borough-wide pot', () =>
      spec(fundHistory('draft', [boroughPot]))
        .when(addPot({ ...boroughPot, potId: 'pot-2' }), undefined)
        .thenRejects('FUND.BOROUGH_POT_EXISTS'));
    it('refuses a pot id already used', () =>
      spec(fundHistory('draft', [wardPot]))
        .when(addPot({ ...boroughPot, potId: wardPot.potId }), undefined)
        .thenRejects('FUND.POT_EXISTS'));
    it('refuses a second pot for the same ward', () =>
      spec(fundHistory('draft', [wardPot]))
        .when(addPot({ ...wardPot, potId: 'pot-2' }), undefined)
        .thenRejects('FUND.POT_EXISTS'));
    it.each([
      ['a budget of zero', { budget: 0 }],
      ['a budget in fractions of a penny', { budget: 100.5 }],
      ['approval with more minimum than maximum picks', { ballot: { kind: 'approval', minPicks: 4, maxPicks: 3 } }],
      ['a cumulative ballot with no points', { ballot: { kind: 'cumulative', points: 0 } }],
      ['an unknown rule', { rule: 'borda' }],
      ['an equal-shares tie-break without a seed', { tieBreak: { kind: 'equalshares', seed: '' } }],
    ])('refuses %s', (_, change) =>
      spec(fundHistory('draft', []))
        .when(addPot({ ...boroughPot, ...change } as Pot), undefined)
        .thenRejects('FUND.INVALID_POT'),
    );
    it('refuses once voting has opened', () =>
      spec(fundHistory('voting_open', [boroughPot]))
        .when(addPot(wardPot, T.duringVoting), undefined)
        .thenRejects('FUND.RULES_FROZEN'));
  });

  describe('ChangePotRules', () => {
    it('changes the budget before voting', () =>
      spec(fundHistory('review', [boroughPot]))
        .when(change({ budget: 90_000_00 }, T.review), undefined)
        .then({
          type: 'PotRulesChanged',
          data: {
            fundId: FUND_ID,
            potId: boroughPot.potId,
            rules: { budget: 90_000_00, ballot: boroughPot.ballot, rule: boroughPot.rule, tieBreak: boroughPot.tieBreak },
          },
        }));
    it.each(['voting_open', 'voting_closed', 'results_published', 'delivery', 'closed'] as const)(
      'refuses any change once %s: the rules are frozen',
      (p) =>
        spec(fundHistory(p, [boroughPot]))
          .when(change({ rule: 'equal_shares_with_completion' }, T.afterVoting), undefined)
          .thenRejects('FUND.RULES_FROZEN'),
    );
    it('refuses an unknown pot', () =>
      spec(fundHistory('draft', [wardPot]))
        .when(change({ budget: 1 }), undefined)
        .thenRejects('FUND.POT_NOT_FOUND'));
    it('refuses invalid rules', () =>
      spec(fundHistory('draft', [boroughPot]))
        .when(change({ budget: -5 }), undefined)
        .thenRejects('FUND.INVALID_POT'));
  });

  describe('phases', () => {
    const steps: [FundCommand['type'], Parameters<typeof fundHistory>[0], string, FundEvent['type']][] = [
      ['OpenProposals', 'draft', T.proposalsOpen, 'ProposalsOpened'],
      ['StartReview', 'proposals_open', T.review, 'ReviewStarted'],
      ['CloseVoting', 'voting_open', T.votingCloses, 'VotingClosed'],
      ['StartDelivery', 'results_published', T.afterVoting, 'DeliveryStarted'],
      ['CloseFund', 'delivery', T.afterVoting, 'FundClosed'],
    ];
    it.each(steps)('%s moves the fund on from %s', (type, from, time, event) =>
      spec(fundHistory(from))
        .when(phase(type, time), undefined)
        .then({ type: event, data: { fundId: FUND_ID } }),
    );
    it.each(steps)('%s is refused in the wrong phase', (type, from, time) =>
      spec(fundHistory(from === 'draft' ? 'review' : 'draft'))
        .when(phase(type, time), undefined)
        .thenRejects('FUND.WRONG_PHASE'),
    );
    it.each(steps)('%s is for administrators', (type, from, time) =>
      spec(fundHistory(from))
        .when(phase(type, time, actors.reviewer), undefined)
        .thenRejects('AUTH.FORBIDDEN'),
    );

    it('OpenVoting freezes the pots into its event', () =>
      spec(fundHistory('review', [boroughPot]))
        .when(phase('OpenVoting', T.votingOpens), undefined)
        .then({ type: 'VotingOpened', data: { fundId: FUND_ID, pots: [boroughPot] } }));
    it('OpenVoting is refused before the schedule allows', () =>
      spec(fundHistory('review')).when(phase('OpenVoting', T.review), undefined).thenRejects('FUND.TOO_EARLY'));
    it('CloseVoting is refused before the scheduled close', () =>
      spec(fundHistory('voting_open')).when(phase('CloseVoting', T.duringVoting), undefined).thenRejects('FUND.TOO_EARLY'));
    it('CloseVoting may be done by the scheduler', () =>
      spec(fundHistory('voting_open'))
        .when(phase('CloseVoting', T.votingCloses, actors.system), undefined)
        .then({ type: 'VotingClosed', data: { fundId: FUND_ID } }));
    it('OpenProposals needs a pot', () =>
      spec(fundHistory('draft', [])).when(phase('OpenProposals', T.proposalsOpen), undefined).thenRejects('FUND.NO_POTS'));
    it('OpenProposals is refused on an unknown fund', () =>
      spec().when(phase('OpenProposals', T.proposalsOpen), undefined).thenRejects('FUND.NOT_FOUND'));

    describe('PublishResults', () => {
      const publish = (actor = actors.councillor) => phase('PublishResults', T.afterVoting, actor);
      const given = fundHistory('voting_closed', [boroughPot, wardPot]);
      it('publishes when every pot has a published allocation', () =>
        spec(given)
          .when(publish(), { publishedPotIds: [boroughPot.potId, wardPot.potId] })
          .then({ type: 'ResultsPublished', data: { fundId: FUND_ID } }));
      it('is refused while a pot has no published allocation', () =>
        spec(given)
          .when(publish(), { publishedPotIds: [boroughPot.potId] })
          .thenRejects('FUND.RESULTS_NOT_READY'));
      it('is for councillors', () => spec(given).when(publish(actors.admin), { publishedPotIds: [] }).thenRejects('AUTH.FORBIDDEN'));
      it('is refused before voting closes', () => spec(fundHistory('voting_open')).when(publish(), {}).thenRejects('FUND.WRONG_PHASE'));
    });
  });

  it('folds a history whose events name an unknown pot without failing', () => {
    const events = [
      ...fundHistory('draft', [boroughPot]),
      past<FundEvent>('PotRulesChanged', { fundId: FUND_ID, potId: 'nope', rules: boroughPot }),
    ];
    expect(() => events.reduce(fundDecider.evolve, fundDecider.initialState())).not.toThrow();
  });
});
