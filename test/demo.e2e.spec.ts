import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedDemo } from '../apps/api/src/demo/seed-demo';
import { startApi } from './support/api-client';

/** `npm start` on an empty store seeds a demo whose tallies and allocation come from a real election. */
describe('the demo borough', () => {
  it('replays the real election: the tally equals the votes recorded in the pabulib file, and results are published', async () => {
    const api = await startApi();
    try {
      const summary = await seedDemo(api.app);
      expect(summary).toMatchObject({ residents: 229, ballots: 229 });
      const { data } = await api.gql(`{ funds { id name phase pots { id name } } }`);
      const past = data.funds.find((f: any) => f.id === summary.pastFundId);
      const open = data.funds.find((f: any) => f.id === summary.openFundId);
      expect(past.phase).toBe('results_published');
      expect(open.phase).toBe('proposals_open');
      expect(open.pots.map((p: any) => p.name)).toEqual(
        expect.arrayContaining(['Borough-wide', 'Bow East', 'Whitechapel', "St Dunstan's"]),
      );
      expect(open.pots).toHaveLength(21);
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
      // A resident of the demo can sign in and find their ballot.
      const token = await api.signIn('resident', summary.sampleResident);
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
