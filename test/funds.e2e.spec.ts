import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@civic/config';
import { createApp } from '../apps/api/src/create-app';

const dir = mkdtempSync(join(tmpdir(), 'civic-funds-'));
let app: INestApplication;
let url: string;

beforeAll(async () => {
  app = await createApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SQLITE_PATH: join(dir, 'events.sqlite') }), { quiet: true });
  await app.listen(0, '127.0.0.1');
  url = await app.getUrl();
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

type Gql = { data?: any; errors?: { message: string; extensions: { code: string } }[] };
async function gql(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Gql> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Gql;
}
const signIn = async (role: string, subject: string) =>
  (await gql(`mutation($r: Role!, $s: String!) { devSignIn(role: $r, subject: $s) { token } }`, { r: role, s: subject })).data.devSignIn
    .token as string;

const day = 24 * 3600 * 1000;
const FUND_FIELDS = `id name phase currency minimumAge revision position schedule { votingOpensAt votingClosesAt }
  pots { id name ward budget rule ballot { kind minPicks maxPicks points } tieBreak { kind seed } }`;

describe('funds over GraphQL', () => {
  let admin: string;
  let resident: string;
  beforeAll(async () => {
    admin = await signIn('administrator', 'admin-1');
    resident = await signIn('resident', 'TH-0001');
  });

  const createFund = (token: string, overrides: Record<string, unknown> = {}, commandId?: string) =>
    gql(
      `mutation($input: CreateFundInput!, $cid: ID) { createFund(input: $input, commandId: $cid) { position fund { ${FUND_FIELDS} } } }`,
      {
        input: {
          name: 'Tower Hamlets Regeneration Fund 2027',
          description: 'Community projects chosen by residents.',
          minimumAge: 16,
          schedule: {
            proposalsOpenAt: new Date(Date.now() - 30 * day).toISOString(),
            reviewStartsAt: new Date(Date.now() - 20 * day).toISOString(),
            votingOpensAt: new Date(Date.now() - 10 * day).toISOString(),
            votingClosesAt: new Date(Date.now() + 10 * day).toISOString(),
          },
          ...overrides,
        },
        cid: commandId,
      },
      token,
    );

  it('lets an administrator create a fund and answers with it, read from the read models (read your writes)', async () => {
    const { data, errors } = await createFund(admin);
    expect(errors).toBeUndefined();
    expect(data.createFund.fund).toMatchObject({
      name: 'Tower Hamlets Regeneration Fund 2027',
      phase: 'draft',
      currency: 'GBP',
      minimumAge: 16,
      pots: [],
    });
    expect(typeof data.createFund.position).toBe('string');
    const listed = await gql(`{ funds { id name phase } }`);
    expect(listed.data.funds.map((f: { id: string }) => f.id)).toContain(data.createFund.fund.id);
  });

  it('writes a retried command (same commandId) once, and answers it as the first call', async () => {
    const commandId = randomUUID();
    const fundId = randomUUID();
    const first = await createFund(admin, { fundId }, commandId);
    const again = await createFund(admin, { fundId }, commandId);
    expect(first.errors).toBeUndefined();
    expect(again.errors).toBeUndefined();
    expect(again.data.createFund.fund.revision).toBe(0);
    expect(again.data.createFund.position).toBe(first.data.createFund.position);
  });

  it('moves a fund through setup to voting, then freezes the pots’ rules (FUND.RULES_FROZEN)', async () => {
    const { data } = await createFund(admin);
    const fundId = data.createFund.fund.id as string;
    const addPot = (input: Record<string, unknown>) =>
      gql(`mutation($input: AddPotInput!) { addPot(input: $input) { fund { ${FUND_FIELDS} } } }`, { input: { fundId, ...input } }, admin);
    const borough = await addPot({
      name: 'Borough-wide',
      budget: '150000000',
      rule: 'equal_shares_with_completion',
      ballot: { kind: 'approval', minPicks: 1, maxPicks: 5 },
    });
    expect(borough.errors).toBeUndefined();
    const ward = await addPot({
      name: 'Bow East',
      ward: 'Bow East',
      budget: '5000000',
      rule: 'greedy_by_votes',
      ballot: { kind: 'knapsack' },
    });
    expect(ward.data.addPot.fund.pots).toEqual([
      expect.objectContaining({
        name: 'Borough-wide',
        ward: null,
        budget: '150000000',
        rule: 'equal_shares_with_completion',
        ballot: { kind: 'approval', minPicks: 1, maxPicks: 5, points: null },
      }),
      expect.objectContaining({
        name: 'Bow East',
        ward: 'Bow East',
        budget: '5000000',
        rule: 'greedy_by_votes',
        tieBreak: { kind: 'number', seed: null },
      }),
    ]);
    const potId = ward.data.addPot.fund.pots[1].id as string;
    for (const step of ['openProposals', 'startReview', 'openVoting']) {
      const r = await gql(`mutation($id: ID!) { ${step}(fundId: $id) { fund { phase } } }`, { id: fundId }, admin);
      expect(r.errors).toBeUndefined();
    }
    const fund = await gql(`query($id: ID!) { fund(id: $id) { phase } }`, { id: fundId });
    expect(fund.data.fund.phase).toBe('voting_open');
    const change = await gql(
      `mutation($f: ID!, $p: ID!, $r: PotRulesInput!) { changePotRules(fundId: $f, potId: $p, rules: $r) { fund { id } } }`,
      { f: fundId, p: potId, r: { budget: '9000000', rule: 'greedy_by_votes', ballot: { kind: 'knapsack' } } },
      admin,
    );
    expect(change.errors?.[0].extensions.code).toBe('FUND.RULES_FROZEN');
    const after = await gql(`query($id: ID!) { fund(id: $id) { pots { budget } } }`, { id: fundId });
    expect(after.data.fund.pots[1].budget).toBe('5000000');
  });

  it('refuses a resident setting up a fund, and a caller with no token', async () => {
    expect((await createFund(resident)).errors?.[0].extensions.code).toBe('AUTH.FORBIDDEN');
    expect((await createFund('')).errors?.[0].extensions.code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('refuses bad input with a clear code and changes nothing', async () => {
    const before = (await gql(`{ funds { id } }`)).data.funds.length;
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '' }, 'FUND.INVALID_DETAILS'],
      [{ name: 'x'.repeat(5000) }, 'FUND.INVALID_DETAILS'],
      [{ minimumAge: -3 }, 'FUND.INVALID_DETAILS'],
      [{ currency: 'pounds' }, 'FUND.INVALID_DETAILS'],
      [{ minimumAge: 'sixteen' }, 'BAD_USER_INPUT'],
      [{ schedule: { proposalsOpenAt: 'soon' } }, 'INPUT.INVALID'],
      [{ schedule: { proposalsOpenAt: '2027-02-30T09:00:00Z' } }, 'INPUT.INVALID'],
    ];
    for (const [overrides, code] of cases) {
      const { errors } = await createFund(admin, overrides);
      expect([overrides, errors?.[0].extensions.code]).toEqual([overrides, code]);
    }
    const { data } = await createFund(admin);
    const badPot = await gql(
      `mutation($input: AddPotInput!) { addPot(input: $input) { fund { id } } }`,
      { input: { fundId: data.createFund.fund.id, name: 'P', budget: '-5', rule: 'greedy_by_votes', ballot: { kind: 'knapsack' } } },
      admin,
    );
    expect(badPot.errors?.[0].extensions.code).toBe('INPUT.INVALID');
    expect(badPot.errors?.[0].message).toMatch(/whole, non-negative/);
    expect((await gql(`{ funds { id } }`)).data.funds.length).toBe(before + 1);
  });

  it('answers as the fund stood at an earlier position or time (time travel), matching what was seen then', async () => {
    const { data } = await createFund(admin);
    const fundId = data.createFund.fund.id as string;
    const added = await gql(
      `mutation($input: AddPotInput!) { addPot(input: $input) { position fund { ${FUND_FIELDS} } } }`,
      { input: { fundId, name: 'Borough-wide', budget: '1000000', rule: 'greedy_by_votes', ballot: { kind: 'knapsack' } } },
      admin,
    );
    const seenThen = added.data.addPot.fund;
    const position = added.data.addPot.position as string;
    await new Promise((r) => setTimeout(r, 20));
    const between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await gql(`mutation($id: ID!) { openProposals(fundId: $id) { fund { phase } } }`, { id: fundId }, admin);
    const atPosition = await gql(`query($id: ID!, $at: String) { fund(id: $id, asOf: $at) { ${FUND_FIELDS} } }`, {
      id: fundId,
      at: position,
    });
    expect(atPosition.data.fund).toEqual(seenThen);
    const atTime = await gql(`query($id: ID!, $at: String) { fund(id: $id, asOf: $at) { phase } }`, { id: fundId, at: between });
    expect(atTime.data.fund.phase).toBe('draft');
    const now = await gql(`query($id: ID!) { fund(id: $id) { phase } }`, { id: fundId });
    expect(now.data.fund.phase).toBe('proposals_open');
    const beforeCreation = await gql(`query($id: ID!, $at: String) { fund(id: $id, asOf: $at) { phase } }`, {
      id: fundId,
      at: '2000-01-01T00:00:00Z',
    });
    expect(beforeCreation.data.fund).toBeNull();
    const bogus = await gql(`query($id: ID!, $at: String) { fund(id: $id, asOf: $at) { phase } }`, { id: fundId, at: 'no-such-position' });
    expect(bogus.errors?.[0].extensions.code).toBe('INPUT.INVALID');
  });
});
