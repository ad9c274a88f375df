import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { startApi } from './api-client';

type Api = Awaited<ReturnType<typeof startApi>>;

/**
 * A whole fund's life through the real HTTP API: set-up, proposals, review, voting, allocation,
 * publication, delivery. Run against every store (test/fund-life.e2e.spec.ts, test/fund-life.pg.spec.ts).
 */
export async function runFundLife(api: Api): Promise<void> {
  const admin = await api.signIn('administrator', 'admin-1');
  const reviewer = await api.signIn('reviewer', 'officer-1');
  const councillor = await api.signIn('councillor', 'cllr-1');
  const voters = Array.from({ length: 12 }, (_, i) => `TH-2${String(i).padStart(5, '0')}`);
  const tokens = await Promise.all(voters.map((v) => api.signIn('resident', v)));
  const ok = (r: { data?: any; errors?: any[] }) => {
    expect(r.errors).toBeUndefined();
    return r.data;
  };
  ok(
    await api.gql(
      `mutation($c: String!) { importRegister(csv: $c) { imported } }`,
      { c: ['reference,ward,date_of_birth', ...voters.map((v) => `${v},Mile End,1990-05-05`)].join('\n') },
      admin,
    ),
  );

  const now = Date.now();
  // Voting is closed early once the ballots are in (below): no window to race on a slow machine.
  const closesAt = new Date(now + 3_600_000);
  const schedule = {
    proposalsOpenAt: new Date(now - 3000).toISOString(),
    reviewStartsAt: new Date(now - 2000).toISOString(),
    votingOpensAt: new Date(now - 1000).toISOString(),
    votingClosesAt: closesAt.toISOString(),
  };
  const fundId = ok(
    await api.gql(
      `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
      { i: { name: 'Mile End Fund', description: 'For Mile End.', schedule } },
      admin,
    ),
  ).createFund.fund.id;
  const potId = ok(
    await api.gql(
      `mutation($i: AddPotInput!) { addPot(input: $i) { fund { pots { id } } } }`,
      {
        i: {
          fundId,
          name: 'Mile End',
          ward: 'Mile End',
          budget: '5000000',
          rule: 'equal_shares_with_completion',
          ballot: { kind: 'approval', minPicks: 1, maxPicks: 3 },
        },
      },
      admin,
    ),
  ).addPot.fund.pots[0].id;
  ok(await api.gql(`mutation($id: ID!) { openProposals(fundId: $id) { fund { phase } } }`, { id: fundId }, admin));

  const costs: Record<string, string> = { Playground: '3000000', Benches: '1000000', Murals: '1500000', 'Tree planting': '2000000' };
  const ids: Record<string, string> = {};
  for (const [title, cost] of Object.entries(costs)) {
    ids[title] = ok(
      await api.gql(
        `mutation($i: SubmitProposalInput!) { submitProposal(input: $i) { proposal { id } } }`,
        {
          i: {
            fundId,
            potId,
            title,
            summary: title,
            description: `${title} for Mile End.`,
            category: 'public space',
            estimatedCost: cost,
          },
        },
        tokens[0],
      ),
    ).submitProposal.proposal.id;
  }
  ok(await api.gql(`mutation($id: ID!) { startReview(fundId: $id) { fund { phase } } }`, { id: fundId }, admin));
  for (const [title, cost] of Object.entries(costs)) {
    ok(
      await api.gql(
        `mutation($id: ID!, $c: Pence!) { acceptProposal(proposalId: $id, officialCost: $c) { proposal { status } } }`,
        { id: ids[title], c: cost },
        reviewer,
      ),
    );
  }
  ok(await api.gql(`mutation($id: ID!) { openVoting(fundId: $id) { fund { phase } } }`, { id: fundId }, admin));

  // 7 voters want the playground; 5 want benches and murals.
  const picks = (i: number) => (i < 7 ? [ids.Playground] : [ids.Benches, ids.Murals]);
  await Promise.all(
    tokens.map((t, i) =>
      api
        .gql(
          `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position } }`,
          { f: fundId, p: potId, c: { proposalIds: picks(i) } },
          t,
        )
        .then(ok),
    ),
  );

  const hidden = await api.gql(`query($p: ID!) { results(potId: $p) { status lines { proposalId } } }`, { p: potId });
  expect(hidden.data.results).toEqual({ status: 'hidden', lines: [] });
  expect(
    (await api.gql(`mutation($f: ID!, $p: ID!) { computeAllocation(fundId: $f, potId: $p) { status } }`, { f: fundId, p: potId }, admin))
      .errors?.[0].extensions.code,
  ).toBe('ALLOCATION.VOTING_NOT_CLOSED');

  ok(
    await api.gql(
      `mutation($id: ID!) { closeVotingEarly(fundId: $id, reason: "The scenario's ballots are in") { fund { phase } } }`,
      { id: fundId },
      admin,
    ),
  );
  const late = await api.gql(
    `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { replaceBallot(fundId: $f, potId: $p, content: $c) { position } }`,
    { f: fundId, p: potId, c: { proposalIds: [ids['Tree planting']] } },
    tokens[0],
  );
  expect(late.errors?.[0].extensions.code).toBe('BALLOT.VOTING_CLOSED');

  const draft = ok(
    await api.gql(
      `mutation($f: ID!, $p: ID!) { computeAllocation(fundId: $f, potId: $p) { status rule ballotCount totalCost budget inputDigest lines { proposalId funded amount reason } } }`,
      { f: fundId, p: potId },
      admin,
    ),
  ).computeAllocation;
  expect(draft).toMatchObject({ status: 'recorded', ballotCount: 12, budget: '5000000' });
  expect(draft.inputDigest).toMatch(/^[0-9a-f]{64}$/);
  const funded = draft.lines
    .filter((l: any) => l.funded)
    .map((l: any) => l.proposalId)
    .sort();
  // Every accepted proposal has a line with its reason; the funded lines add up to the total, within the budget.
  expect(draft.lines.map((l: any) => l.proposalId).sort()).toEqual(Object.values(ids).sort());
  expect(funded.length).toBeGreaterThan(0);
  const fundedSum = draft.lines.filter((l: any) => l.funded).reduce((sum: number, l: any) => sum + Number(l.amount), 0);
  expect(String(fundedSum)).toBe(draft.totalCost);
  expect(fundedSum).toBeLessThanOrEqual(5000000);
  // Nobody voted for the tree planting: it is not funded ahead of supported projects.
  expect(funded).not.toContain(ids['Tree planting']);
  for (const line of draft.lines) expect(line.reason.length).toBeGreaterThan(0);

  expect((await api.gql(`query($p: ID!) { results(potId: $p) { status } }`, { p: potId })).data.results.status).toBe('hidden');
  expect(
    (await api.gql(`query($p: ID!) { draftAllocation(potId: $p) { status } }`, { p: potId }, tokens[1])).errors?.[0].extensions.code,
  ).toBe('AUTH.FORBIDDEN');
  expect((await api.gql(`query($p: ID!) { tally(potId: $p) { ballots } }`, { p: potId })).errors?.[0].extensions.code).toBe(
    'AUTH.FORBIDDEN',
  );

  ok(
    await api.gql(`mutation($f: ID!, $p: ID!) { ratifyAllocation(fundId: $f, potId: $p) { status } }`, { f: fundId, p: potId }, councillor),
  );
  ok(
    await api.gql(
      `mutation($f: ID!, $p: ID!) { publishAllocation(fundId: $f, potId: $p) { status } }`,
      { f: fundId, p: potId },
      councillor,
    ),
  );
  ok(await api.gql(`mutation($id: ID!) { publishResults(fundId: $id) { fund { phase } } }`, { id: fundId }, councillor));

  const results = ok(
    await api.gql(`query($p: ID!) { results(potId: $p) { status rule totalCost lines { proposalId funded amount } } }`, { p: potId }),
  ).results;
  expect(results.status).toBe('published');
  expect(
    results.lines
      .filter((l: any) => l.funded)
      .map((l: any) => l.proposalId)
      .sort(),
  ).toEqual(funded);
  expect(
    (await api.gql(`query($p: ID!) { tally(potId: $p) { ballots lines { proposalId supporters } } }`, { p: potId })).data.tally.ballots,
  ).toBe(12);

  ok(await api.gql(`mutation($id: ID!) { startDelivery(fundId: $id) { fund { phase } } }`, { id: fundId }, admin));
  // Each report is sent twice with the same commandId (a retry): the milestone and the spend,
  // named by the server, are recorded once.
  const report = (mutation: string, c: string) => api.gql(mutation, { f: fundId, p: ids.Playground, c }, reviewer);
  const MILESTONE = `mutation($f: ID!, $p: ID!, $c: ID) { reportMilestone(fundId: $f, proposalId: $p, title: "Contractor appointed", status: "done", commandId: $c) { milestones { milestoneId title } } }`;
  const SPEND = `mutation($f: ID!, $p: ID!, $c: ID) { reportSpend(fundId: $f, proposalId: $p, amount: "1250000", description: "Deposit", spentOn: "2026-03-01", commandId: $c) { totalSpent milestones { title status } } }`;
  const [milestoneCommand, spendCommand] = [randomUUID(), randomUUID()];
  const reported = ok(await report(MILESTONE, milestoneCommand)).reportMilestone;
  expect(ok(await report(MILESTONE, milestoneCommand)).reportMilestone).toEqual(reported);
  expect(reported.milestones).toHaveLength(1);
  const spent = ok(await report(SPEND, spendCommand)).reportSpend;
  expect(ok(await report(SPEND, spendCommand)).reportSpend).toEqual(spent);
  expect(spent).toEqual({ totalSpent: '1250000', milestones: [{ title: 'Contractor appointed', status: 'done' }] });
  const notFunded = await api.gql(
    `mutation($f: ID!, $p: ID!) { reportSpend(fundId: $f, proposalId: $p, amount: "1", description: "x", spentOn: "2026-03-01") { totalSpent } }`,
    { f: fundId, p: ids['Tree planting'] },
    reviewer,
  );
  expect(notFunded.errors?.[0].extensions.code).toBe('DELIVERY.NOT_FUNDED');
  ok(await api.gql(`mutation($id: ID!) { closeFund(fundId: $id) { fund { phase } } }`, { id: fundId }, admin));
  expect((await api.gql(`query($id: ID!) { fund(id: $id) { phase } }`, { id: fundId })).data.fund.phase).toBe('closed');
}

/** Stops the API and verifies the history it wrote with `audit verify` and the key the API published. */
export async function verifyHistory(api: Api, store: string[]): Promise<void> {
  const { data } = await api.gql(`{ auditKey { publicKeyPem keyId } }`);
  expect(data.auditKey.keyId).toMatch(/^sha256:[0-9a-f]{64}$/);
  const keyFile = join(api.dir, 'audit-public.pem');
  writeFileSync(keyFile, data.auditKey.publicKeyPem);
  await api.stop({ keepFiles: true });
  const run = promisify(execFile);
  const { stdout } = await run(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'apps/cli/src/main.ts',
      'audit',
      'verify',
      '--public-key',
      keyFile,
      ...store,
    ],
    { cwd: join(__dirname, '../..'), maxBuffer: 16 << 20 },
  );
  const report = JSON.parse(stdout);
  expect(report).toMatchObject({ ok: true, failures: [] });
  expect(report.eventsChecked).toBeGreaterThan(40);
  expect(report.checkpointsChecked).toBeGreaterThanOrEqual(7);
}
