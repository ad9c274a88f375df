import { createElection } from '../election/election';
import { allocate } from '../rules/allocate';
import { compareIds, lot } from './tie-break';

describe('tie-breaking', () => {
  describe('lexico (the reference default)', () => {
    it('orders ids as plain strings, not numbers', () => {
      expect(['2', '11', '149', '1008', '37816', '37815'].sort(compareIds)).toEqual(['1008', '11', '149', '2', '37815', '37816']);
    });

    it('funds "11" before "2" when they tie and only one fits', () => {
      const e = createElection({
        budget: 100n,
        voteType: 'approval',
        projects: [
          { id: '2', cost: 100n },
          { id: '11', cost: 100n },
        ],
        ballots: [
          ['2', '11'],
          ['2', '11'],
        ],
      });
      for (const rule of ['greedy_cardinality', 'greedy_cost', 'mes_cardinality', 'mes_cost']) {
        expect(allocate(e, rule).selected).toEqual(['11']);
      }
    });
  });

  describe('equalshares (lowest cost, then most votes, then a lot from the seed)', () => {
    // A and B tie on votes per cost (2/100 = 1/50); only one of them can be funded.
    const tie = createElection({
      budget: 100n,
      voteType: 'approval',
      projects: [
        { id: 'A', cost: 100n },
        { id: 'B', cost: 50n },
      ],
      ballots: [['A', 'B'], ['A']],
    });

    it('prefers the cheaper project where lexico prefers the smaller id', () => {
      expect(allocate(tie, 'greedy_cardinality').selected).toEqual(['A']);
      expect(allocate(tie, 'greedy_cardinality', { tieBreak: 'equalshares', seed: 's' }).selected).toEqual(['B']);
    });

    it('then prefers the project with more supporters', () => {
      // Points: C gets 3 + 3 from two voters, D 2 + 2 + 2 from three; same cost, so MES prices
      // both at ρ = 20/6 and only one can be paid for.
      const e = createElection({
        budget: 30n,
        voteType: 'cumulative',
        projects: [
          { id: 'C', cost: 20n },
          { id: 'D', cost: 20n },
        ],
        ballots: [{ C: 3, D: 2 }, { C: 3, D: 2 }, { D: 2 }],
      });
      expect(allocate(e, 'mes_points').selected).toEqual(['C']);
      expect(allocate(e, 'mes_points', { tieBreak: 'equalshares', seed: 's' }).selected).toEqual(['D']);
    });

    it('then draws lots: deterministic for a seed, and the seed decides', () => {
      const e = createElection({
        budget: 10n,
        voteType: 'approval',
        projects: ['p', 'q', 'r', 's', 't'].map((id) => ({ id, cost: 10n })),
        ballots: [['p', 'q', 'r', 's', 't']],
      });
      const winners = new Set<string>();
      for (const seed of ['2026-05-01 draw', 'another', 'third', 'fourth', 'fifth', 'sixth']) {
        const a = allocate(e, 'mes_cardinality', { tieBreak: 'equalshares', seed });
        const b = allocate(e, 'mes_cardinality', { tieBreak: 'equalshares', seed });
        expect(a.selected).toEqual(b.selected);
        const expected = ['p', 'q', 'r', 's', 't'].sort((x, y) => compareIds(lot(seed, x), lot(seed, y)))[0];
        expect(a.selected).toEqual([expected]);
        expect(a.seed).toBe(seed);
        winners.add(a.selected[0]);
      }
      expect(winners.size).toBeGreaterThan(1);
    });

    it('refuses to draw lots without a recorded seed', () => {
      expect(() => allocate(tie, 'mes_cost', { tieBreak: 'equalshares' })).toThrow(
        expect.objectContaining({ code: 'ALLOCATION.SEED_REQUIRED' }),
      );
    });
  });
});
