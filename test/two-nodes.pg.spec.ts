import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { ContactIndex, SignInCodeStore } from '@civic/auth';
import { inRelationFiles } from '../libs/auth/src/testing/postgres-test-schema';
import { SessionSockets } from '../apps/api/src/auth/session-sockets';
import { CONTACT_INDEX, SIGN_IN_CODES } from '../apps/api/src/tokens';
import { startApi, type Gql } from './support/api-client';
import { followFund } from './support/fund-follower';
import { WebClient } from './web/web-client';
import { SmtpInbox } from './support/smtp-inbox';
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
    // The counters' windows start on the minute: requests straddling one would find the last window's count weighed a
    // little under whole (rounded down, one more request let through). Near a minute's end, the requests start in the next.
    const leftOfMinute = 60_000 - (Date.now() % 60_000);
    if (leftOfMinute < 10_000) await new Promise((resolve) => setTimeout(resolve, leftOfMinute + 100));
    const codes: string[] = [];
    for (let i = 0; i < 14; i++) {
      const res = await (i % 2 ? a : b).gql(`{ funds { id } }`, {}, token);
      codes.push(res.errors?.[0]?.extensions.code ?? 'ok');
    }
    // 12 a minute for this subject in all, spread over both nodes (each node alone would let 12 through); then both refuse.
    expect(codes).toEqual([...Array(12).fill('ok'), 'RATE_LIMITED', 'RATE_LIMITED']);
  });
});

describe('residents’ sign-in across two API nodes on one PostgreSQL', () => {
  const signInSchema = `test_nodes_si_${randomBytes(4).toString('hex')}`;
  const smtp = new SmtpInbox();
  const env = () => ({
    EVENT_STORE: 'postgres',
    DATABASE_URL,
    DATABASE_SCHEMA: signInSchema,
    RATE_LIMIT_PER_MINUTE: '100000',
    RESIDENT_SIGN_IN_EMAIL_CODE: 'true',
    RESIDENT_SIGN_IN_POLL_CARD: 'true',
    PERSONAL_DATA_EXPORTERS: 'admin-1',
    ...smtp.env(),
    JWT_SECRET: secretsOfSignIn.jwt,
    KEY_MASTER_SECRET: secretsOfSignIn.master,
    AUDIT_SIGNING_KEY: secretsOfSignIn.audit,
  });
  const secretsOfSignIn = {
    jwt: randomBytes(32).toString('base64url'),
    master: randomBytes(32).toString('base64'),
    audit: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  const residents = ['TH-SIGN-1', 'TH-SIGN-2', 'TH-SIGN-3', 'TH-SIGN-4', 'TH-SIGN-5'];
  const emails = Object.fromEntries(residents.map((r, i) => [r, `sign${i + 1}@example.org`]));
  let a: Awaited<ReturnType<typeof startApi>>;
  let b: Awaited<ReturnType<typeof startApi>>;
  let fund: VotingFund;

  beforeAll(async () => {
    await smtp.start();
    a = await startApi(env());
    b = await startApi(env());
    fund = await votingFund(a, residents, { emails }); // the register, with its addresses, is imported through node A
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await smtp.stop();
    await dropDeployment(DATABASE_URL, signInSchema);
  });

  const codeOf = (r: Gql) => r.errors?.[0]?.extensions.code;
  const pollCardSignIn = (api: typeof a, reference: string, code: string) =>
    api.gql('mutation($r: String!, $c: String!) { signInWithPollCard(reference: $r, code: $c) { token subject } }', {
      r: reference,
      c: code,
    });
  /** Each reference's code in a CSV generated through `api`. */
  const generate = async (api: typeof a) => {
    const csv = ok(await api.gql('mutation($f: ID!) { generatePollCards(fundId: $f) { csv } }', { f: fund.fundId }, fund.admin))
      .generatePollCards.csv as string;
    return Object.fromEntries(
      csv
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => [line.split(',')[0], line.split(',').at(-1)!]),
    );
  };
  const requestCode = async (api: typeof a, identifier: string) =>
    ok(await api.gql('mutation($i: String!) { requestSignInCode(identifier: $i) { challenge } }', { i: identifier })).requestSignInCode
      .challenge as string;
  const redeem = (api: typeof a, challenge: string, code: string) =>
    api.gql('mutation($c: String!, $k: String!) { signInWithCode(challenge: $c, code: $k) { token subject } }', { c: challenge, k: code });
  /** The code mailed to `address` (whichever node's worker sent it). */
  const mailedCode = async (address: string) => /(\d{6})/.exec((await smtp.mailTo(address)).subject)![1];
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  /** Once node B's read models hold the fund (it follows the store a moment behind node A). */
  const fundOnB = async () => {
    for (let i = 0; i < 200; i++) {
      if ((await b.gql('query($f: ID!) { fund(id: $f) { id } }', { f: fund.fundId }, fund.admin)).data?.fund) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('node B did not catch up');
  };

  it('signs in through node B with a poll card generated through node A; a replaced or revoked card is refused on both', async () => {
    const first = await generate(a);
    const signedIn = ok(await pollCardSignIn(b, 'TH-SIGN-1', first['TH-SIGN-1']));
    expect(signedIn.signInWithPollCard.subject).toBe('TH-SIGN-1');
    expect(ok(await b.gql('{ me { subject signedInWith } }', {}, signedIn.signInWithPollCard.token)).me).toEqual({
      subject: 'TH-SIGN-1',
      signedInWith: 'poll_card',
    });
    const second = await generate(a);
    for (const api of [a, b]) expect(codeOf(await pollCardSignIn(api, 'TH-SIGN-1', first['TH-SIGN-1']))).toBe('AUTH.CODE_INVALID');
    ok(await pollCardSignIn(b, 'TH-SIGN-2', second['TH-SIGN-2']));
    await fundOnB();
    const revoked = await b.gql(
      'mutation($f: ID!, $r: String!) { revokePollCard(fundId: $f, reference: $r) }',
      { f: fund.fundId, r: 'TH-SIGN-2' },
      fund.admin,
    );
    expect(ok(revoked).revokePollCard).toBe(true);
    for (const api of [a, b]) expect(codeOf(await pollCardSignIn(api, 'TH-SIGN-2', second['TH-SIGN-2']))).toBe('AUTH.CODE_INVALID');
    ok(await pollCardSignIn(a, 'TH-SIGN-1', second['TH-SIGN-1']));
  });

  it('redeems through node B, once, a code asked for through node A by an address registered through node A', async () => {
    const challenge = await requestCode(a, 'Sign3@example.org');
    const code = await mailedCode('sign3@example.org');
    expect(ok(await redeem(b, challenge, code)).signInWithCode.subject).toBe('TH-SIGN-3');
    for (const api of [a, b]) expect(codeOf(await redeem(api, challenge, code))).toBe('AUTH.CODE_INVALID');
  });

  it('gives one session when the same code is redeemed through both nodes at the same moment', async () => {
    const challenge = await requestCode(b, 'TH-SIGN-4');
    const code = await mailedCode('sign4@example.org');
    // Both nodes read the challenge (unused, its code right) before either uses it.
    const stores = [a, b].map((api) => api.app.get<SignInCodeStore>(SIGN_IN_CODES));
    const reads = stores.map((store) => store.challenge.bind(store));
    let arrived = 0;
    let unusedReads = 0;
    let bothRead!: () => void;
    const gate = new Promise<void>((resolve) => (bothRead = resolve));
    stores.forEach((store, i) => {
      store.challenge = async (id) => {
        const found = await reads[i](id);
        if (found?.usedAt === null && found.codeHash) unusedReads++;
        if (++arrived === 2) bothRead();
        await gate;
        return found;
      };
    });
    try {
      const results = await Promise.all([redeem(a, challenge, code), redeem(b, challenge, code)]);
      expect(unusedReads).toBe(2); // each node found the code unused: both went on to use it
      expect(results.filter((r) => r.data?.signInWithCode?.subject === 'TH-SIGN-4')).toHaveLength(1);
      expect(results.map(codeOf).filter(Boolean)).toEqual(['AUTH.CODE_INVALID']);
    } finally {
      stores.forEach((store, i) => (store.challenge = reads[i]));
    }
  });

  it('counts wrong tries made through both nodes together: the code locks after five, on both', async () => {
    const challenge = await requestCode(a, 'sign5@example.org');
    const code = await mailedCode('sign5@example.org');
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(codeOf(await redeem(i % 2 ? a : b, challenge, wrong(code))));
    expect(answers).toEqual(['AUTH.CODE_INVALID', 'AUTH.CODE_INVALID', 'AUTH.CODE_INVALID', 'AUTH.CODE_INVALID', 'AUTH.CODE_LOCKED']);
    for (const api of [a, b]) expect(codeOf(await redeem(api, challenge, code))).toBe('AUTH.CODE_LOCKED');
  });

  it('forgets, on node B, the address of a resident erased through node A, and keeps no copy of its hash', async () => {
    const onB = b.app.get<ContactIndex>(CONTACT_INDEX);
    expect(await onB.findByEmail('sign2@example.org')).toHaveLength(1);
    const hash = onB.hash('sign2@example.org');
    ok(
      await a.gql(
        `mutation($r: String!) { eraseResident(reference: $r, reason: "asked to be removed") { __typename } }`,
        { r: 'TH-SIGN-2' },
        fund.admin,
      ),
    );
    expect(await onB.findByEmail('sign2@example.org')).toEqual([]);
    expect(await inRelationFiles(`${signInSchema}_vault`, 'resident_contacts', hash)).toBe(false);
    expect(await inRelationFiles(`${signInSchema}_vault`, 'resident_contacts', onB.hash('sign1@example.org'))).toBe(true);
  });
});

describe('web sessions and sign-out across two API nodes on one PostgreSQL', () => {
  const webSchema = `test_nodes_web_${randomBytes(4).toString('hex')}`;
  const env = {
    EVENT_STORE: 'postgres',
    DATABASE_URL,
    DATABASE_SCHEMA: webSchema,
    RATE_LIMIT_PER_MINUTE: '100000',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    KEY_MASTER_SECRET: randomBytes(32).toString('base64'),
    AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  const residents = ['TH-WEB-1', 'TH-WEB-2', 'TH-WEB-3'];
  let a: Awaited<ReturnType<typeof startApi>>;
  let b: Awaited<ReturnType<typeof startApi>>;
  let fund: VotingFund;

  beforeAll(async () => {
    a = await startApi(env);
    b = await startApi(env);
    fund = await votingFund(a, residents);
    // Node A's fallback (a look every 30 s for sessions revoked elsewhere) is stopped: only node B's notice can close A's sockets.
    a.app.get(SessionSockets).onModuleDestroy();
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await dropDeployment(DATABASE_URL, webSchema);
  });

  const follow = (node: typeof a, auth: Parameters<typeof followFund>[2]) => followFund(node, fund.fundId, auth);

  it('closes at once with 4401, on node A, the subscription of a session signed out through node B', async () => {
    const leaving = await a.signIn('resident', residents[0]);
    const staying = await a.signIn('resident', residents[1]);
    const [gone, kept] = [await follow(a, { token: leaving }), await follow(a, { token: staying })];
    let keptClosed = false;
    void kept.closed.then(() => (keptClosed = true));
    expect(ok(await b.gql('mutation { signOut }', {}, leaving)).signOut).toBe(true);
    expect((await gone.closed).code).toBe(4401);
    expect(keptClosed).toBe(false);
    await Promise.all([gone.client.dispose(), kept.client.dispose()]);
  });

  it('signs a browser in on both nodes at once; its sign-out through node B ends it on node A, live page socket included', async () => {
    const onA = new WebClient(a.url);
    await onA.signIn(residents[2]);
    expect((await onA.get('/notifications')).status).toBe(200);
    // The load balancer sends the same browser, with the same cookie, to node B.
    const onB = new WebClient(b.url);
    onB.cookies.set('civic_session', onA.cookies.get('civic_session')!);
    const page = await onB.get('/notifications');
    expect(page.status).toBe(200);
    expect(onB.lastCsrf).toBe(onA.lastCsrf); // one session: one form token
    // A live page on node A follows the fund over a WebSocket that carries the session's cookie alone.
    const host = new URL(a.url).host;
    const socket = await follow(a, { headers: { cookie: `civic_session=${onA.cookies.get('civic_session')}`, origin: a.url, host } });
    expect((await onB.post('/sign-out', {})).location).toBe('/?signedOut=1');
    expect((await socket.closed).code).toBe(4401);
    const after = await onA.get('/notifications');
    expect(after.status).toBe(303);
    expect(after.location).toMatch(/^\/sign-in/);
    await socket.client.dispose();
  });
});
