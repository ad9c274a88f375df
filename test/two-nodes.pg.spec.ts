import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startApi } from './support/api-client';
import { dropDeployment } from './support/postgres-schemas';
import { ok, votingFund, type VotingFund } from './support/voting-fund';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `test_nodes_${randomBytes(4).toString('hex')}`;

jest.setTimeout(90_000);

/**
 * Two API nodes on one PostgreSQL, each with its own read models, sharing the events, the
 * sessions, the vault of residents' keys and the voting gate: a resident imported through one
 * node votes through the other, an erasure on one holds on the other at once, and ballots of one
 * voter arriving at both nodes together leave one ballot.
 */
describe('two API nodes on one PostgreSQL', () => {
  // Every node of a deployment has the same secrets (the same pseudonyms, the same tokens).
  const secrets = {
    JWT_SECRET: randomBytes(32).toString('base64url'),
    KEY_MASTER_SECRET: randomBytes(32).toString('base64'),
    AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  const env = { EVENT_STORE: 'postgres', DATABASE_URL, DATABASE_SCHEMA: schema, ...secrets };
  let a: Awaited<ReturnType<typeof startApi>>;
  let b: Awaited<ReturnType<typeof startApi>>;
  let fund: VotingFund;
  const residents = ['TH-NODE-1', 'TH-NODE-2', 'TH-NODE-3'];

  beforeAll(async () => {
    a = await startApi(env);
    b = await startApi(env);
    fund = await votingFund(a, residents); // the register is imported through node A
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await dropDeployment(DATABASE_URL, schema);
  });

  const cast = (api: typeof a, reference: string, proposalIds: string[], verb = 'castBallot') =>
    api.gql(
      `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { ${verb}(fundId: $f, potId: $p, content: $c) { code } }`,
      { f: fund.fundId, p: fund.potId, c: { proposalIds } },
      fund.tokens[reference],
    );
  /** Node B's tally once its read models have caught up with `ballots` ballots (staff may read it while voting is open). */
  const tallyOn = async (api: typeof a, ballots: number) => {
    for (let i = 0; i < 200; i++) {
      const t = ok(await api.gql(`query($p: ID!) { tally(potId: $p) { ballots } }`, { p: fund.potId }, fund.councillor));
      if (t.tally.ballots >= ballots) return t.tally.ballots as number;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the read models did not catch up');
  };

  it('keeps residents’ keys in a schema of their own, apart from the events', async () => {
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${schema}_vault.resident_keys WHERE key IS NOT NULL`);
    await client.end();
    expect(rows[0].n).toBeGreaterThanOrEqual(residents.length);
  });

  it('takes, through node B, the ballot of a resident imported through node A', async () => {
    const receipt = ok(await cast(b, 'TH-NODE-1', [fund.proposals[0]]));
    expect(receipt.castBallot.code).toMatch(/\S/);
    expect(await tallyOn(a, 1)).toBe(1);
  });

  it('holds one ballot per voter when the voter’s ballots reach both nodes at once', async () => {
    const [onA, onB] = await Promise.all([cast(a, 'TH-NODE-2', [fund.proposals[1]]), cast(b, 'TH-NODE-2', [fund.proposals[2]])]);
    const accepted = [onA, onB].filter((r) => !r.errors);
    expect(accepted).toHaveLength(1);
    expect([onA, onB].find((r) => r.errors)?.errors?.[0].extensions.code).toMatch(/^BALLOT\.|STORE\.CONFLICT/);
    expect(await tallyOn(b, 2)).toBe(2);
  });

  it('refuses, on node B, the ballot of a resident erased through node A', async () => {
    ok(await cast(b, 'TH-NODE-3', [fund.proposals[0]])); // node B could open this resident's data a moment ago
    ok(
      await a.gql(
        `mutation($r: String!) { eraseResident(reference: $r, reason: "asked to be removed") { __typename } }`,
        { r: 'TH-NODE-3' },
        fund.admin,
      ),
    );
    const refused = await cast(b, 'TH-NODE-3', [fund.proposals[1]], 'replaceBallot');
    expect(refused.errors?.[0].extensions.code).toMatch(/^(RESIDENT\.|BALLOT\.NOT_ELIGIBLE|AUTH\.)/);
  });
});

describe('rate limits across two API nodes on one PostgreSQL', () => {
  const rateSchema = `test_nodes_rl_${randomBytes(4).toString('hex')}`;
  const env = {
    EVENT_STORE: 'postgres',
    DATABASE_URL,
    DATABASE_SCHEMA: rateSchema,
    RATE_LIMIT_PER_MINUTE: '12',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    KEY_MASTER_SECRET: randomBytes(32).toString('base64'),
    AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  let a: Awaited<ReturnType<typeof startApi>>;
  let b: Awaited<ReturnType<typeof startApi>>;
  beforeAll(async () => {
    a = await startApi(env);
    b = await startApi(env);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await dropDeployment(DATABASE_URL, rateSchema);
  });

  it('refuses a client over the limit whichever node it asks, the limit counted once for both', async () => {
    const token = await a.signIn('auditor', 'auditor-rl'); // counted for the address: the caller was not signed in yet
    const codes: string[] = [];
    for (let i = 0; i < 14; i++) {
      const res = await (i % 2 ? a : b).gql(`{ funds { id } }`, {}, token);
      codes.push(res.errors?.[0]?.extensions.code ?? 'ok');
    }
    // 12 a minute for this subject in all, spread over both nodes (each node alone would let 12 through); then both refuse.
    expect(codes).toEqual([...Array(12).fill('ok'), 'RATE_LIMITED', 'RATE_LIMITED']);
  });
});
