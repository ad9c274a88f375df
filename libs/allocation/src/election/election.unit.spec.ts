import { Rational } from '../rational/rational';
import { createElection } from './election';

const a = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const b = '9b2f3b64-5f7c-4e0a-8d3e-2c8f1b0e7a11';

describe(createElection.name, () => {
  it('builds an election from bigint pence, uuids and approval ballots', () => {
    const e = createElection({
      budget: 500_000n,
      voteType: 'approval',
      projects: [
        { id: a, cost: 300_000n },
        { id: b, cost: 250_000n },
      ],
      ballots: [[a], [a, b]],
    });
    expect(e.budget).toEqual(Rational.from(500_000n));
    expect(e.projects[1].cost.toString()).toBe('250000');
    expect(e.ballots[1].items).toEqual([a, b]);
    expect(e.meta).toEqual({});
  });

  it('reads cumulative ballots given as records or maps', () => {
    const e = createElection({
      budget: 10n,
      voteType: 'cumulative',
      projects: [{ id: a, cost: 5n }],
      ballots: [{ [a]: 3 }, new Map([[a, 2n]])],
    });
    expect(e.ballots.map((x) => x.points?.map(String))).toEqual([['3'], ['2']]);
  });

  it.each([
    ['a negative budget', { budget: -1n }, /budget is negative/],
    ['a negative cost', { projects: [{ id: a, cost: -5n }] }, /negative cost/],
    [
      'a duplicate project',
      {
        projects: [
          { id: a, cost: 1n },
          { id: a, cost: 2n },
        ],
      },
      /appears twice/,
    ],
    ['an unknown project in a ballot', { ballots: [[b]] }, /unknown project/],
    ['points on an approval ballot', { ballots: [{ [a]: 1 }] }, /gives points/],
  ])('refuses %s', (_what, override, message) => {
    const input = { budget: 10n, voteType: 'approval' as const, projects: [{ id: a, cost: 1n }], ballots: [[a]], ...override };
    expect(() => createElection(input)).toThrow(
      expect.objectContaining({ code: 'ALLOCATION.INVALID_ELECTION', message: expect.stringMatching(message) }),
    );
  });
});
