import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_RESIDENT, DEMO_TOO_YOUNG, seedDemo } from '../apps/api/src/demo/seed-demo';
import { startApi } from './support/api-client';

/** `npm start` on an empty store seeds a demo whose tallies and allocation come from a real election. */
describe('the demo borough', () => {
  it('replays the real election: the tally equals the votes recorded in the pabulib file, and results are published', async () => {
    const api = await startApi();
    try {
      const summary = await seedDemo(api.app);
      expect(summary).toMatchObject({ residents: 229 + 20 * 12, sampleResident: DEMO_RESIDENT });
      expect(summary.ballots).toBeGreaterThan(229);
      const { data } = await api.gql(`{ funds { id name phase timeZone pots { id name ward ballot { kind } } } }`);
      const past = data.funds.find((f: any) => f.id === summary.pastFundId);
      const voting = data.funds.find((f: any) => f.id === summary.votingFundId);
      const open = data.funds.find((f: any) => f.id === summary.openFundId);
      expect(past.phase).toBe('delivery');
      expect(open.phase).toBe('proposals_open');
      expect(voting.phase).toBe('voting_open');
      expect(voting.timeZone).toBe('Europe/London');
      expect(voting.pots.map((p: any) => p.name)).toEqual(
        expect.arrayContaining(['Borough-wide', 'Bow East', 'Whitechapel', "St Dunstan's"]),
      );
      expect(voting.pots).toHaveLength(21);
      // The wards are the borough's configured list, and every ward pot is for one of them.
      const wards = (await api.gql(`{ wards }`)).data.wards as string[];
      expect(wards).toHaveLength(20);
      expect(
        voting.pots
          .filter((p: any) => p.ward)
          .map((p: any) => p.ward)
          .sort(),
      ).toEqual([...wards].sort());
      // Between them the pots use every ballot type, and each holds numbered, accepted proposals.
      expect(new Set(voting.pots.map((p: any) => p.ballot.kind))).toEqual(new Set(['approval', 'knapsack', 'cumulative']));
      for (const pot of voting.pots) {
        const page = (
          await api.gql(
            `query($p: ID!) { proposals(potId: $p, status: accepted, order: number) { totalCount edges { node { number } } } }`,
            { p: pot.id },
          )
        ).data.proposals;
        expect(page.totalCount).toBeGreaterThanOrEqual(5);
        expect(page.edges.every((e: any) => Number.isInteger(e.node.number))).toBe(true);
      }
      // The resident the start-up message names may vote in their ward's pot and the borough-wide one, nowhere else.
      const eligibility = async (reference: string) =>
        (
          await api.gql(
            `query($f: ID!) { myEligibility(fundId: $f) { potId eligibility } }`,
            { f: summary.votingFundId },
            await api.signIn('resident', reference),
          )
        ).data.myEligibility as { potId: string; eligibility: string }[];
      const potName = (id: string) => voting.pots.find((p: any) => p.id === id).name;
      const sample = await eligibility(DEMO_RESIDENT);
      expect(
        sample
          .filter((e) => e.eligibility === 'eligible')
          .map((e) => potName(e.potId))
          .sort(),
      ).toEqual(['Borough-wide', 'Bow West']);
      expect(new Set(sample.filter((e) => e.eligibility !== 'eligible').map((e) => e.eligibility))).toEqual(new Set(['other_ward']));
      expect(new Set((await eligibility(DEMO_TOO_YOUNG)).map((e) => e.eligibility))).toEqual(new Set(['too_young', 'other_ward']));
      expect((await eligibility('TH-905012')).map((e) => e.eligibility)).toContain('not_verified');
      // Every ward has residents on the register.
      const admin = await api.signIn('administrator', 'admin-1');
      for (const pot of voting.pots.filter((p: any) => p.ward)) {
        const inWard = (await api.gql(`query($w: String) { register(ward: $w, first: 1) { totalCount } }`, { w: pot.ward }, admin)).data
          .register;
        expect(inWard.totalCount).toBeGreaterThanOrEqual(12);
      }
      const potId = past.pots[0].id;
      const tally = (await api.gql(`query($p: ID!) { tally(potId: $p) { ballots lines { supporters } } }`, { p: potId })).data.tally;
      // The file's PROJECTS section records each project's votes: the tally must reproduce them.
      const file = readFileSync(join(__dirname, '../apps/api/demo/Poland_Warszawa_2018_Niskie_Okecie.pb'), 'utf8');
      const projects = file
        .split(/\r?\nPROJECTS\r?\n/)[1]
        .split(/\r?\nVOTES\r?\n/)[0]
        .trim()
        .split(/\r?\n/)
        .slice(1);
      const votes = projects.map((line) => Number(line.split(';')[2])).sort((a, b) => b - a);
      expect(tally.ballots).toBe(229);
      expect(tally.lines.map((l: any) => l.supporters)).toEqual(votes);
      const results = (await api.gql(`query($p: ID!) { results(potId: $p) { status ballotCount totalCost budget } }`, { p: potId })).data
        .results;
      expect(results).toMatchObject({ status: 'published', ballotCount: 229, budget: '37250000' });
      expect(Number(results.totalCost)).toBeLessThanOrEqual(37250000);
      // Each line explains itself as data: its supporters are the tally's, and its verdict is the line's.
      const explained = (
        await api.gql(
          `query($p: ID!) { results(potId: $p) { lines { proposalId funded explanation { supporters mes { outcome effectiveSupport overlaps { proposalId shared } } greedy { outcome } } } } tally(potId: $p) { lines { proposalId supporters } } }`,
          { p: potId },
        )
      ).data;
      const supporters = new Map(explained.tally.lines.map((l: any) => [l.proposalId, l.supporters]));
      for (const line of explained.results.lines) {
        expect(line.explanation.supporters).toBe(supporters.get(line.proposalId));
        expect(line.explanation.mes.outcome === 'funded' || line.explanation.greedy?.outcome === 'funded').toBe(line.funded);
      }
      expect(
        explained.results.lines.some((l: any) => l.explanation.mes.outcome === 'unaffordable' && l.explanation.mes.overlaps.length > 0),
      ).toBe(true);
      // A voter of the replayed election can sign in and find their ballot.
      const token = await api.signIn('resident', 'TH-001274');
      // No resident's reference is anywhere in the history the demo wrote (actors and authors are pseudonyms).
      const auditor = await api.signIn('auditor', 'auditor-1');
      let after: string | null = null;
      let history = '';
      do {
        const page: any = await api.gql(
          `query($a: String) { auditLog(after: $a, first: 100) { endCursor events { data metadata } } }`,
          { a: after },
          auditor,
        );
        history += JSON.stringify(page.data.auditLog.events);
        after = page.data.auditLog.endCursor;
      } while (after);
      expect(history.length).toBeGreaterThan(10_000);
      expect(history).not.toMatch(/TH-\d{6}/);
      const mine = await api.gql(
        `query($f: ID!, $p: ID!) { myBallot(fundId: $f, potId: $p) { status } }`,
        { f: summary.pastFundId, p: potId },
        token,
      );
      expect(mine.data.myBallot.status).toBe('counted');
    } finally {
      await api.stop();
    }
  }, 120_000);
});
