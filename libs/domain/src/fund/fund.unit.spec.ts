import { fundDecider } from '../deciders';
import { deciderSpec } from '../testing/decider-spec';
import { actors, boroughPot, command, FUND_ID, fundHistory, past, schedule, T, wardPot } from '../testing/fixtures';
import type {
  AddPot,
  ChangePotRules,
  ChooseBallotPublication,
  CloseVotingEarly,
  CreateFund,
  ExtendVoting,
  FundCommand,
  RescheduleFund,
} from './fund.commands';
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
    it('creates a fund in draft, in the default time zone when it names none', () =>
      spec()
        .when(create(), undefined)
        .then({ type: 'FundCreated', data: { ...details, timeZone: 'Europe/London' } }));
    it('keeps the time zone the fund names', () =>
      spec()
        .when(create({ ...details, timeZone: 'Asia/Dhaka' } as typeof details), undefined)
        .then({ type: 'FundCreated', data: { ...details, timeZone: 'Asia/Dhaka' } }));
    it.each(['Mars/Olympus', 'Europe/London; DROP', '', 'x'.repeat(100)])('refuses a time zone that is not an IANA name (%s)', (timeZone) =>
      spec()
        .when(create({ ...details, timeZone } as typeof details), undefined)
        .thenRejects('FUND.INVALID_DETAILS'),
    );
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
        schemaVersion: 2,
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

  describe('ChooseBallotPublication', () => {
    const choose = (publication: string, time: string = T.created, actor = actors.admin) =>
      command<ChooseBallotPublication>('ChooseBallotPublication', { fundId: FUND_ID, publication } as never, actor, time);
    it('records unlinked publication before voting opens', () =>
      spec(fundHistory('review', [boroughPot]))
        .when(choose('unlinked', T.review), undefined)
        .then({ type: 'BallotPublicationChosen', data: { fundId: FUND_ID, publication: 'unlinked' } }));
    it.each(['voting_open', 'voting_closed', 'results_published'] as const)('refuses once %s: the choice is frozen', (p) =>
      spec(fundHistory(p, [boroughPot]))
        .when(choose('linked', T.afterVoting), undefined)
        .thenRejects('FUND.RULES_FROZEN'),
    );
    it('refuses a kind of publication it does not know', () =>
      spec(fundHistory('draft', [boroughPot]))
        .when(choose('secret'), undefined)
        .thenRejects('FUND.INVALID_DETAILS'));
    it('refuses a resident', () =>
      spec(fundHistory('draft', [boroughPot]))
        .when(choose('unlinked', T.created, actors.resident()), undefined)
        .thenRejects('AUTH.FORBIDDEN'));
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
    describe('closing early and extending voting', () => {
      const later = '2026-04-20T21:00:00Z';
      const early = (reason: string, time: string = T.duringVoting, actor = actors.admin) =>
        command<CloseVotingEarly>('CloseVotingEarly', { fundId: FUND_ID, reason }, actor, time);
      const extend = (votingClosesAt: string, reason: string, time: string = T.duringVoting) =>
        command<ExtendVoting>('ExtendVoting', { fundId: FUND_ID, votingClosesAt, reason }, actors.admin, time);
      const extended = past<FundEvent>(
        'VotingExtended',
        { fundId: FUND_ID, votingClosesAt: later, previousClosesAt: T.votingCloses, reason: 'Outage' },
        T.duringVoting,
      );
      const stateAfter = (...events: FundEvent[]) =>
        [...fundHistory('voting_open'), ...events].reduce(fundDecider.evolve, fundDecider.initialState());

      it('closes voting before the scheduled time, recording the reason and when', () =>
        spec(fundHistory('voting_open'))
          .when(early('Fraud under investigation'), undefined)
          .then({
            type: 'VotingClosed',
            data: { fundId: FUND_ID, early: { reason: 'Fraud under investigation', closedAt: T.duringVoting } },
          }));
      it('moves the schedule’s close to the early close', () =>
        expect(
          stateAfter(past('VotingClosed', { fundId: FUND_ID, early: { reason: 'x', closedAt: T.duringVoting } }, T.duringVoting)),
        ).toMatchObject({
          status: 'voting_closed',
          schedule: { votingClosesAt: T.duringVoting },
        }));
      it('needs a reason to close early', () =>
        spec(fundHistory('voting_open')).when(early('  '), undefined).thenRejects('FUND.REASON_REQUIRED'));
      it('is for administrators', () =>
        spec(fundHistory('voting_open'))
          .when(early('x', T.duringVoting, actors.councillor), undefined)
          .thenRejects('AUTH.FORBIDDEN'));
      it('is not an early close once the scheduled close has passed', () =>
        spec(fundHistory('voting_open')).when(early('x', T.afterVoting), undefined).thenRejects('FUND.WRONG_PHASE'));
      it('extends voting to a later close, recording the reason and the close before', () =>
        spec(fundHistory('voting_open'))
          .when(extend(later, 'Outage on Sunday'), undefined)
          .then({
            type: 'VotingExtended',
            data: { fundId: FUND_ID, votingClosesAt: later, previousClosesAt: T.votingCloses, reason: 'Outage on Sunday' },
          }));
      it('moves the schedule’s close to the extension', () =>
        expect(stateAfter(extended)).toMatchObject({ schedule: { votingClosesAt: later } }));
      it.each([
        ['an earlier close', T.duringVoting],
        ['the same close', T.votingCloses],
        ['a time that is not an instant', 'next Tuesday'],
      ])('refuses an extension to %s', (_, to) =>
        spec(fundHistory('voting_open')).when(extend(to, 'Outage'), undefined).thenRejects('FUND.INVALID_SCHEDULE'),
      );
      it('needs a reason to extend', () =>
        spec(fundHistory('voting_open')).when(extend(later, ''), undefined).thenRejects('FUND.REASON_REQUIRED'));
      it('never reopens voting: no extension once the close has passed', () =>
        spec(fundHistory('voting_open'))
          .when(extend(later, 'Outage', T.afterVoting), undefined)
          .thenRejects('FUND.WRONG_PHASE'));
      it('never reopens voting: no extension once voting is closed', () =>
        spec(fundHistory('voting_closed'))
          .when(extend(later, 'Outage', T.votingCloses), undefined)
          .thenRejects('FUND.WRONG_PHASE'));
    });
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
