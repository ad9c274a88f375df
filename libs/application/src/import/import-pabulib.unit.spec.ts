import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allocate, parsePabulib } from '@civic/allocation';
import { ruleKeyFor, streams, type Pot } from '@civic/domain';
import { ComputeAllocationCommand } from '../allocation/compute-allocation';
import { createHarness, FUND_ID, STAFF, TIMES, type Harness } from '../testing/harness';
import { RunFundCommand } from '../fund/run-fund-command';
import { ImportPabulibCommand, ImportPabulibHandler, importedProposalId } from './import-pabulib';
import { RunProposalCommandHandler } from '../proposal/run-proposal-command';
import { RunBallotCommandHandler } from '../ballot/run-ballot-command';

const FIXTURES = join(__dirname, '../../../allocation/test/fixtures/pabulib');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** A pot shaped like the file's election: its ballot type, its budget in pence. */
const potFor = (file: string, rule: Pot['rule']): Pot => {
  const e = parsePabulib(file);
  const budget = Number((e.budget.num * 100n) / e.budget.den);
  const ballot: Pot['ballot'] =
    e.voteType === 'cumulative'
      ? { kind: 'cumulative', points: Math.max(...e.ballots.map((b) => (b.points ?? []).reduce((s, p) => s + Number(p.toString()), 0))) }
      : { kind: 'approval', minPicks: 0, maxPicks: Math.max(...e.ballots.map((b) => b.items.length)) };
  return { potId: 'pot-imported', name: 'Imported', scope: { kind: 'borough' }, budget, ballot, rule, tieBreak: { kind: 'number' } };
};

describe(ImportPabulibHandler.name, () => {
  let h: Harness;
  let sut: ImportPabulibHandler;
  const fund = (type: RunFundCommand['type'], payload: object = {}) =>
    h.handlers.fund.execute(new RunFundCommand(type, { fundId: FUND_ID, ...payload } as never, h.input(STAFF.admin)));
  const importing = (file: string, part: 'projects' | 'ballots', commandId?: string) =>
    sut.execute(new ImportPabulibCommand(FUND_ID, 'pot-imported', file, part, h.input(STAFF.admin, commandId)));
  const setUp = async (pot: Pot) => {
    h = createHarness();
    sut = new ImportPabulibHandler(
      h.runtime,
      h.handlers.proposals as RunProposalCommandHandler,
      h.handlers.ballots as RunBallotCommandHandler,
    );
    const schedule = {
      proposalsOpenAt: TIMES.proposalsOpen,
      reviewStartsAt: TIMES.review,
      votingOpensAt: TIMES.votingOpens,
      votingClosesAt: TIMES.votingCloses,
    };
    await fund('CreateFund', { name: 'Imported', description: 'An election run elsewhere', currency: 'GBP', schedule, minimumAge: 16 });
    await fund('AddPot', { pot });
    h.clock.set(TIMES.proposalsOpen);
    await fund('OpenProposals');
    h.clock.set(TIMES.review);
    await fund('StartReview');
  };

  it.each([
    ['Netherlands_Assen_2024.pb', 'greedy_by_votes'],
    ['Netherlands_Assen_2024.pb', 'equal_shares_with_completion'],
    ['Poland_Czestochowa_2020_Grabowka.pb', 'equal_shares_with_completion'],
  ] as const)('imports %s and the platform allocates it (%s) as the library does on the file itself', async (name, rule) => {
    const file = read(name);
    const pot = potFor(file, rule);
    await setUp(pot);
    const projects = await importing(file, 'projects');
    h.clock.set(TIMES.votingOpens);
    await fund('OpenVoting');
    h.clock.set(TIMES.duringVoting);
    const ballots = await importing(file, 'ballots');
    const election = parsePabulib(file);
    expect(projects).toMatchObject({ projects: election.projects.length });
    expect(ballots).toMatchObject({ ballots: election.ballots.length, fileDigest: projects.fileDigest });
    h.clock.set(TIMES.votingCloses);
    await fund('CloseVoting');
    h.clock.set(TIMES.afterVoting);
    const { events } = await h.handlers.computeAllocation.execute(new ComputeAllocationCommand(FUND_ID, pot.potId, h.input(STAFF.system)));
    const funded = (events[0].data as { lines: { proposalId: string; funded: boolean }[] }).lines
      .filter((l) => l.funded)
      .map((l) => l.proposalId);
    // The oracle: the library on the file, ties broken in the file's project order (the numbers the import gave).
    const expected = allocate(election, ruleKeyFor(pot.ballot, rule), { tieBreak: 'order', order: election.projects.map((p) => p.id) });
    expect(funded.sort()).toEqual(expected.selected.map((id) => importedProposalId(pot.potId, projects.fileDigest, id)).sort());
    // Every ballot is marked as imported from this file.
    const cast = (await h.store.readAll({ maxCount: 100_000 })).filter((e) => e.type === 'BallotCast');
    expect(cast).toHaveLength(election.ballots.length);
    expect(
      cast.every((e) => (e.data as { source: { channel: string; fileDigest: string } }).source.fileDigest === projects.fileDigest),
    ).toBe(true);
  });

  it('writes nothing twice when an import is run again', async () => {
    const file = read('Netherlands_Assen_2024.pb');
    await setUp(potFor(file, 'greedy_by_votes'));
    await importing(file, 'projects');
    const head = await h.store.headPosition();
    await importing(file, 'projects');
    expect(await h.store.headPosition()).toBe(head);
    h.clock.set(TIMES.votingOpens);
    await fund('OpenVoting');
    h.clock.set(TIMES.duringVoting);
    await importing(file, 'ballots');
    const afterBallots = await h.store.headPosition();
    await importing(file, 'ballots');
    expect(await h.store.headPosition()).toBe(afterBallots);
  });

  it.each([
    ['a missing section', (f: string) => f.replace(/\nVOTES[\s\S]*$/, '\n'), 'IMPORT.MALFORMED', /line \d+/],
    [
      'a vote for an unknown project',
      (f: string) => f.replace(/(\nVOTES\r?\n[^\r\n]*\r?\n[^;]*;)[^;\r\n]*/, '$1999999'),
      'IMPORT.MALFORMED',
      /line \d+/,
    ],
    ['another budget', (f: string) => f.replace(/\nbudget;[^\r\n]*/, '\nbudget;123'), 'IMPORT.MISMATCH', /budget/],
  ])('refuses %s, and writes nothing', async (_, spoil, code, message) => {
    const file = read('Netherlands_Assen_2024.pb');
    await setUp(potFor(file, 'greedy_by_votes'));
    const head = await h.store.headPosition();
    await expect(importing(spoil(file), 'projects')).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await h.store.headPosition()).toBe(head);
    expect(await h.store.readStream(streams.proposalNumbers(FUND_ID))).toEqual([]);
  });

  it('refuses ballots before the projects of the same file, and projects outside review', async () => {
    const file = read('Netherlands_Assen_2024.pb');
    await setUp(potFor(file, 'greedy_by_votes'));
    await expect(importing(file, 'ballots')).rejects.toMatchObject({ code: 'BALLOT.VOTING_NOT_OPEN' });
    h.clock.set(TIMES.votingOpens);
    await fund('OpenVoting');
    await expect(importing(file, 'projects')).rejects.toMatchObject({ code: 'PROPOSAL.REVIEW_CLOSED' });
    await expect(importing(file, 'ballots')).rejects.toMatchObject({
      code: 'IMPORT.MISMATCH',
      details: { field: 'file', params: { problem: 'PROJECTS_FIRST' } },
    });
  });

  it('says why a file does not fit its pot by a stable problem and its values, for a client to word it', async () => {
    const file = read('Netherlands_Assen_2024.pb');
    await setUp(potFor(file, 'greedy_by_votes'));
    await expect(importing(file.replace(/\nbudget;[^\r\n]*/, '\nbudget;123.5'), 'projects')).rejects.toMatchObject({
      code: 'IMPORT.MISMATCH',
      message: "The file's budget is not the pot's budget.",
      details: { field: 'file', params: { problem: 'BUDGET', fileBudget: 12_350, potBudget: 10_000_000 } },
    });
    await expect(importing(file.replace(/\nbudget;[^\r\n]*/, '\nbudget;100000.001'), 'projects')).rejects.toMatchObject({
      details: { params: { problem: 'NOT_WHOLE_PENCE' } },
    });
  });

  it('names the vote, its voter and the rule it breaks when a vote does not fit the pot, and writes no ballot', async () => {
    const file = read('Netherlands_Assen_2024.pb');
    const election = parsePabulib(file);
    const pot = potFor(file, 'greedy_by_votes');
    const most = Math.max(...election.ballots.map((b) => b.items.length));
    await setUp({ ...pot, ballot: { kind: 'approval', minPicks: 0, maxPicks: most - 1 } });
    await importing(file, 'projects');
    h.clock.set(TIMES.votingOpens);
    await fund('OpenVoting');
    h.clock.set(TIMES.duringVoting);
    const head = await h.store.headPosition();
    const first = election.ballots.findIndex((b) => b.items.length === most);
    await expect(importing(file, 'ballots')).rejects.toMatchObject({
      code: 'IMPORT.MISMATCH',
      message: expect.stringMatching(
        new RegExp(`^Vote ${first + 1} \\(voter ${election.ballots[first].voterId}\\) breaks the pot's rules: Pick at most`),
      ),
      details: {
        params: {
          problem: 'VOTE_BREAKS_RULES',
          vote: first + 1,
          voter: election.ballots[first].voterId,
          rule: 'BALLOT.TOO_MANY_PICKS',
          max: most - 1,
        },
      },
    });
    expect(await h.store.headPosition()).toBe(head);
  });
});
