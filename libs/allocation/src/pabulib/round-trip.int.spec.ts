import { createElection } from '../election/election';
import { FILES, fixture } from '../../test/fixtures';
import { parsePabulib } from './parse';
import { readPabulibFile } from './read-file';
import { toPabulib, writePabulib } from './write';

describe('pabulib round trip: parse → write → parse gives the same election', () => {
  it.each(FILES)(
    '%s',
    async (file) => {
      const election = await readPabulibFile(fixture(file));
      const again = parsePabulib([...writePabulib(election)].join('\n'));
      expect(again).toEqual(election);
    },
    60_000,
  );

  it('exports a pot built in code (bigint pence, uuids, knapsack and cumulative ballots)', () => {
    const a = '0b6f3a4e-4d1f-4b8e-9c6a-1f2e3d4c5b6a';
    const b = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    const knapsack = createElection({
      budget: 100_000n,
      voteType: 'knapsack',
      projects: [
        { id: a, cost: 60_000n },
        { id: b, cost: 40_050n },
      ],
      ballots: [[a], [a, b], []],
    });
    const text = toPabulib(knapsack, { description: 'Ward pot', country: 'United Kingdom', unit: 'Tower Hamlets' });
    expect(text.split('\n').slice(0, 3)).toEqual(['META', 'key;value', 'description;Ward pot']);
    const back = parsePabulib(text);
    expect(back.budget).toEqual(knapsack.budget);
    expect(back.meta.max_sum_cost).toBe('100000');
    expect(back.projects.map((p) => [p.id, p.cost.toString()])).toEqual([
      [a, '60000'],
      [b, '40050'],
    ]);
    expect(back.ballots.map((x) => x.items)).toEqual([[a], [a, b], []]);

    const cumulative = createElection({
      budget: 10n,
      voteType: 'cumulative',
      projects: [{ id: a, cost: 5n }],
      ballots: [{ [a]: 3 }, new Map([[a, 2n]])],
    });
    expect(parsePabulib(toPabulib(cumulative)).ballots.map((x) => x.points?.map(String))).toEqual([['3'], ['2']]);
  });
});
