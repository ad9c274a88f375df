import { startApi } from './support/api-client';
import { ASSEN_2024 as FILE, fundForAssen } from './support/imported-election';
import { ok } from './support/voting-fund';

/** A council imports an election it ran elsewhere, then publishes and audits it here. */
describe('importing a past election from a pabulib file over the API', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.stop());

  it('imports the projects during review and the ballots while voting is open; the tally is the file’s', async () => {
    const admin = await api.signIn('administrator', 'admin-imp');
    const { election, fundId, potId, phase } = await fundForAssen(api, admin);
    const importPart = (part: string, file = FILE) =>
      api.gql(
        `mutation($f: ID!, $p: ID!, $file: String!, $part: ImportPart!) { importPabulib(fundId: $f, potId: $p, file: $file, part: $part) { fileDigest projects ballots } }`,
        { f: fundId, p: potId, file, part },
        admin,
      );
    await phase('openProposals');
    // Before review: refused, and so is a file that is not pabulib, with its line.
    expect((await importPart('projects')).errors?.[0].extensions.code).toBe('PROPOSAL.REVIEW_CLOSED');
    await phase('startReview');
    const broken = await importPart('projects', FILE.replace(/\nPROJECTS\r?\n/, '\nPROJECTZ\n'));
    expect(broken.errors?.[0].extensions.code).toBe('IMPORT.MALFORMED');
    expect(broken.errors?.[0].message).toMatch(/line \d+/);
    const projects = ok(await importPart('projects')).importPabulib;
    expect(projects).toMatchObject({ projects: election.projects.length, ballots: 0 });
    const page = ok(
      await api.gql(
        `query($p: ID!) { proposals(potId: $p, order: number, first: 100) { totalCount edges { node { title status number officialCost } } } }`,
        { p: potId },
      ),
    ).proposals;
    expect(page.totalCount).toBe(election.projects.length);
    expect(page.edges.every((e: { node: { status: string } }) => e.node.status === 'accepted')).toBe(true);
    expect(page.edges.map((e: { node: { number: number } }) => e.node.number)).toEqual(election.projects.map((_, i) => i + 1));
    await phase('openVoting');
    const ballots = ok(await importPart('ballots')).importPabulib;
    expect(ballots).toEqual({ fileDigest: projects.fileDigest, projects: 0, ballots: election.ballots.length });
    const reviewer = await api.signIn('reviewer', 'officer-imp');
    const tally = ok(await api.gql(`query($p: ID!) { tally(potId: $p) { ballots } }`, { p: potId }, reviewer)).tally;
    expect(tally.ballots).toBe(election.ballots.length);
    // Running it again writes nothing more.
    ok(await importPart('ballots'));
    expect(ok(await api.gql(`query($p: ID!) { tally(potId: $p) { ballots } }`, { p: potId }, reviewer)).tally.ballots).toBe(
      election.ballots.length,
    );
    const resident = await api.signIn('resident', 'TH-1');
    expect(
      (
        await api.gql(
          `mutation($f: ID!, $p: ID!, $file: String!) { importPabulib(fundId: $f, potId: $p, file: $file, part: ballots) { ballots } }`,
          { f: fundId, p: potId, file: FILE },
          resident,
        )
      ).errors?.[0].extensions.code,
    ).toBe('AUTH.FORBIDDEN');
  }, 120_000);
});
