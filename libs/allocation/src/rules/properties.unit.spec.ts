import fc from 'fast-check';
import { createElection, type Election, type VoteType } from '../election/election';
import { Rational } from '../rational/rational';
import { naiveGreedy, naiveMes, naiveMesAdd1 } from '../../test/naive-rules';
import { allocate } from './allocate';
import { RULES, ruleKeys } from './rule-keys';
import { appliesTo } from './satisfaction';

// Ids chosen so that string order differs from numeric order.
const IDS = ['1', '2', '11', '20', 'a', 'B'];

const electionArb = (voteType: VoteType): fc.Arbitrary<Election> =>
  fc
    .record({
      m: fc.integer({ min: 1, max: IDS.length }),
      costs: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 60 })), { minLength: IDS.length, maxLength: IDS.length }),
      budget: fc.integer({ min: 0, max: 150 }),
      ballots: fc.array(fc.array(fc.tuple(fc.nat(IDS.length - 1), fc.integer({ min: 0, max: 4 })), { maxLength: 5 }), {
        minLength: 1,
        maxLength: 10,
      }),
    })
    .map(({ m, costs, budget, ballots }) => {
      const ids = IDS.slice(0, m);
      const projects = ids.map((id, i) => ({ id, cost: BigInt(costs[i]) }));
      const votes = ballots.map((b) => {
        const seen = new Map<string, number>();
        for (const [p, pts] of b) if (p < m && !seen.has(ids[p])) seen.set(ids[p], pts);
        return voteType === 'cumulative' ? Object.fromEntries(seen) : [...seen.keys()];
      });
      return createElection({ budget: BigInt(budget), voteType, projects, ballots: votes });
    });

const VOTE_TYPES: VoteType[] = ['approval', 'cumulative', 'ordinal'];
const rulesFor = (v: VoteType) => ruleKeys().filter((k) => appliesTo(RULES[k].satisfaction, v));

describe('allocation properties (fast-check)', () => {
  describe.each(VOTE_TYPES)('%s ballots', (voteType) => {
    const rules = rulesFor(voteType);

    it('never spends more than the budget, never funds a project twice', () => {
      fc.assert(
        fc.property(electionArb(voteType), fc.constantFrom(...rules), (e, rule) => {
          const r = allocate(e, rule);
          expect(r.totalCost.lte(e.budget)).toBe(true);
          expect(new Set(r.selected).size).toBe(r.selected.length);
        }),
        { numRuns: 150 },
      );
    });

    it('gives the same result whatever the order of the ballots, every time', () => {
      fc.assert(
        fc.property(electionArb(voteType), fc.constantFrom(...rules), fc.integer(), (e, rule, salt) => {
          const shuffled = { ...e, ballots: [...e.ballots].sort((a, b) => hash(a.items.join(), salt) - hash(b.items.join(), salt)) };
          const a = allocate(e, rule);
          expect(allocate(shuffled, rule).selected).toEqual(a.selected);
          expect(JSON.stringify(allocate(e, rule))).toBe(JSON.stringify(a));
        }),
        { numRuns: 150 },
      );
    });

    it('agrees with a naive reading of RULES.md (greedy, plain MES, MES add1)', () => {
      const sat = RULES[rules[0]].satisfaction;
      fc.assert(
        fc.property(electionArb(voteType), (e) => {
          expect(allocate(e, `greedy_${sat}`).selected).toEqual(naiveGreedy(e, sat));
          const b0 = e.budget.div(Rational.from(e.ballots.length));
          expect(allocate(e, `mes_${sat}`).selected).toEqual(naiveMes(e, sat, b0));
          expect(allocate(e, `mes_${sat}_add1`).selected).toEqual(naiveMesAdd1(e, sat));
        }),
        { numRuns: 400 },
      );
    });
  });

  it('gives the same result whichever rules ran before on the same election (shared compiled ballots)', () => {
    fc.assert(
      fc.property(
        electionArb('approval'),
        fc.constantFrom(...rulesFor('approval')),
        fc.constantFrom(...rulesFor('approval')),
        (e, first, second) => {
          allocate(e, first);
          expect(allocate(e, second)).toEqual(allocate({ ...e }, second));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('agrees with the naive reading under cost satisfaction too', () => {
    fc.assert(
      fc.property(electionArb('approval'), (e) => {
        const b0 = e.budget.div(Rational.from(e.ballots.length));
        expect(allocate(e, 'mes_cost').selected).toEqual(naiveMes(e, 'cost', b0));
        expect(allocate(e, 'greedy_cost').selected).toEqual(naiveGreedy(e, 'cost'));
      }),
      { numRuns: 100 },
    );
  });
});

function hash(s: string, salt: number): number {
  let h = salt | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 2654435761);
  return h;
}
