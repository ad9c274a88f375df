import fc from 'fast-check';
import { createElection, type Election, type VoteType } from '../election/election';
import { tieBreakRanks } from '../tie-break/tie-break';
import { isExhaustive, runMesCompleted, type IteratedOutcome } from './mes-iterated';
import { runMes } from './mes-run';
import { stableSteps } from './mes-stable';
import { profileOf } from './profile';
import type { Satisfaction } from './satisfaction';

const IDS = ['1', '2', '11', '20', 'a', 'B', 'c', 'D'];

/** Budgets large next to the number of voters, as where add1 makes thousands of runs; few distinct costs, so prices tie. */
const electionArb = (voteType: VoteType): fc.Arbitrary<Election> =>
  fc
    .record({
      m: fc.integer({ min: 1, max: IDS.length }),
      costs: fc.array(fc.oneof(fc.constant(0), fc.constantFrom(30, 60, 90), fc.integer({ min: 1, max: 400 })), {
        minLength: IDS.length,
        maxLength: IDS.length,
      }),
      budget: fc.integer({ min: 0, max: 1200 }),
      ballots: fc.array(fc.array(fc.tuple(fc.nat(IDS.length - 1), fc.integer({ min: 0, max: 4 })), { maxLength: 5 }), {
        minLength: 1,
        maxLength: 8,
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

const CASES: [VoteType, Satisfaction][] = [
  ['approval', 'cost'],
  ['approval', 'cardinality'],
  ['cumulative', 'points'],
  ['ordinal', 'borda'],
];

const compiled = (e: Election, sat: Satisfaction) => {
  const profile = profileOf(e, sat);
  const costs = e.projects.map((p) => p.cost);
  return { profile, rank: tieBreakRanks({ ids: profile.ids, costs, supporters: profile.supporterCount }, 'lexico') };
};

/** RULES.md §3 word for word: every run, one unit at a time (the free supported projects first as the first "previous"). */
function literalAdd1(e: Election, sat: Satisfaction): IteratedOutcome {
  const { profile, rank } = compiled(e, sat);
  const n = BigInt(profile.voters);
  const B = profile.budget;
  const among = profile.ids.map((_, p) => p).filter((p) => profile.supporterCount[p] > 0 && profile.costs[p] > 0n);
  const free = profile.ids
    .map((_, p) => p)
    .filter((p) => profile.supporterCount[p] > 0 && profile.costs[p] === 0n)
    .sort((a, b) => rank[a] - rank[b]);
  let previous: IteratedOutcome = { selected: free, cost: 0n, b0num: B, b0den: n, runs: 0 };
  for (let k = 0n; ; k++) {
    const num = B + k * profile.scale * n;
    const outcome = { ...runMes(profile, num, n, rank), b0num: num, b0den: n, runs: Number(k) + 1 };
    if (outcome.cost > B) return { ...previous, runs: outcome.runs };
    if (isExhaustive(profile, outcome, among) || B === 0n) return outcome;
    previous = outcome;
  }
}

describe(stableSteps.name, () => {
  describe.each(CASES)('%s ballots, %s satisfaction', (voteType, sat) => {
    it('only ever skips start budgets whose run selects exactly what the run it follows did', () => {
      fc.assert(
        fc.property(electionArb(voteType), fc.nat(300), (e, k) => {
          const { profile, rank } = compiled(e, sat);
          const n = BigInt(profile.voters);
          const step = profile.scale * n;
          const num = profile.budget + BigInt(k) * step;
          const at = runMes(profile, num, n, rank);
          const skip = stableSteps(profile, num, n, step, rank, at.selected);
          // Every skipped step (the first 200 of them, and the last).
          const checked = new Set([...Array.from({ length: Math.min(skip, 200) }, (_, j) => j + 1), skip]);
          for (const j of checked) {
            if (j === 0) continue;
            const later = runMes(profile, num + BigInt(j) * step, n, rank);
            expect(later.selected).toEqual(at.selected);
            expect(later.cost).toBe(at.cost);
          }
        }),
        { numRuns: 300 },
      );
    });

    it('leaves add1 completion exactly as the literal iteration: same selection, start budget and number of runs', () => {
      fc.assert(
        fc.property(electionArb(voteType), (e) => {
          const { profile, rank } = compiled(e, sat);
          expect(runMesCompleted(profile, rank, 'add1')).toEqual(literalAdd1(e, sat));
        }),
        { numRuns: 200 },
      );
    });
  });

  it('skips runs where many repeat the one before (a large budget for few voters)', () => {
    const e = createElection({
      budget: 100_000n,
      voteType: 'approval',
      projects: [
        { id: 'a', cost: 60_000n },
        { id: 'b', cost: 48_000n },
        { id: 'c', cost: 45_000n },
      ],
      ballots: [['a'], ['a', 'b'], ['b'], ['c']],
    });
    const { profile, rank } = compiled(e, 'cost');
    const n = BigInt(profile.voters);
    const at = runMes(profile, profile.budget, n, rank);
    expect(stableSteps(profile, profile.budget, n, profile.scale * n, rank, at.selected)).toBeGreaterThan(1000);
    expect(runMesCompleted(profile, rank, 'add1')).toEqual(literalAdd1(e, 'cost'));
  });
});
