import { createElection } from '../election/election';
import { Rational } from '../rational/rational';
import { allocate } from './allocate';

// Four voters, budget 300, so each starts with 75 under equal shares.
//   v1 approves A, B, D · v2 approves A, D · v3 approves A, C, D · v4 approves B
// Costs: A 200, B 100, C 150, D 120.
const election = createElection({
  budget: 300n,
  voteType: 'approval',
  projects: [
    { id: 'A', cost: 200n },
    { id: 'B', cost: 100n },
    { id: 'C', cost: 150n },
    { id: 'D', cost: 120n },
  ],
  ballots: [['A', 'B', 'D'], ['A', 'D'], ['A', 'C', 'D'], ['B']],
});
const r = (s: string) => Rational.from(s);

describe('explanations', () => {
  describe('given equal shares with one point per approval', () => {
    const result = allocate(election, 'mes_cardinality');

    it('funds D in round 1 at 40 from each of its three supporters', () => {
      expect(result.selected).toEqual(['D', 'B']);
      expect(result.explanation.D.mes).toEqual({
        outcome: 'selected',
        round: 1,
        priceFactor: r('40'),
        payments: [{ voters: 3, allTheyHad: false, paidEach: r('40'), total: r('120') }],
      });
    });

    it('funds B in round 2: v1 has only 35 left and pays it all, v4 pays the rest', () => {
      expect(result.explanation.B.mes).toEqual({
        outcome: 'selected',
        round: 2,
        priceFactor: r('65'),
        payments: [
          { voters: 1, allTheyHad: false, paidEach: r('65'), total: r('65') },
          { voters: 1, allTheyHad: true, total: r('35') },
        ],
      });
      expect(result.explanation.B.summary).toBe(
        'Equal shares: funded in round 2 at price factor 65; 1 paid 65 each, 1 paid all they had left (35 in all).',
      );
    });

    it('rejects A because paying for D left its supporters 105, less than 200', () => {
      expect(result.explanation.A.mes).toEqual({
        outcome: 'rejected',
        reason: 'unaffordable',
        round: 1,
        exhaustedBy: 'D',
        supportersMoney: r('105'),
      });
      expect(result.explanation.A.summary).toMatch(/after project D was paid for/);
    });

    it('rejects C from the start: its one supporter has 75 for a cost of 150', () => {
      expect(result.explanation.C.mes).toEqual({
        outcome: 'rejected',
        reason: 'unaffordable',
        round: 0,
        exhaustedBy: null,
        supportersMoney: r('75'),
      });
      expect(result.voterBudget).toEqual(r('75'));
    });
  });

  describe('given greedy by votes per cost', () => {
    const result = allocate(election, 'greedy_cardinality');

    it('ranks D, B, A, C and says what was left when each was reached', () => {
      expect(result.selected).toEqual(['D', 'B']);
      const steps = Object.fromEntries(Object.values(result.explanation).map((e) => [e.project, e.greedy]));
      expect(steps).toEqual({
        D: { outcome: 'selected', rank: 1, remainingBefore: r('300') },
        B: { outcome: 'selected', rank: 2, remainingBefore: r('180') },
        A: { outcome: 'did-not-fit', rank: 3, remainingBefore: r('80') },
        C: { outcome: 'did-not-fit', rank: 4, remainingBefore: r('80') },
      });
      expect(result.explanation.A.summary).toBe('Greedy: rank 3; only 80 left when reached, its cost 200 did not fit.');
    });
  });

  describe('given MES completed by greedy', () => {
    it('keeps the MES reasons and adds the greedy step for what MES left', () => {
      const result = allocate(election, 'mes_cardinality_add1_greedy');
      expect(result.selected).toEqual(['D', 'B']);
      expect(result.explanation.A.mes).toMatchObject({ outcome: 'rejected', exhaustedBy: 'D' });
      expect(result.explanation.A.greedy).toEqual({ outcome: 'did-not-fit', rank: 3, remainingBefore: r('80') });
      expect(result.mesRuns).toBe(1);
    });
  });

  it('says that nobody supported a project MES never funds', () => {
    const e = createElection({
      ...election,
      budget: 300n,
      voteType: 'approval',
      projects: [...election.projects, { id: 'E', cost: 1n }],
      ballots: election.ballots,
    });
    const result = allocate(e, 'mes_cardinality');
    expect(result.explanation.E.mes).toEqual({ outcome: 'rejected', reason: 'no-supporters' });
    expect(result.explanation.E.supporters).toBe(0);
  });
});
