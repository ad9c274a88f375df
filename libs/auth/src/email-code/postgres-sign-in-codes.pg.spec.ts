import { challengeRequest, signInCodeStoreContract } from '../testing/sign-in-code-store.contract';
import { lockGate, testSchema } from '../testing/postgres-test-schema';
import { PostgresSignInCodes } from './postgres-sign-in-codes';

const { url, schema, drop } = testSchema('sign_in_codes');
const node = () => new PostgresSignInCodes({ connectionString: url, schema });
signInCodeStoreContract(PostgresSignInCodes.name, async () => node());
afterAll(drop);

describe('sign-in codes shared by two nodes', () => {
  let a: PostgresSignInCodes;
  let b: PostgresSignInCodes;
  beforeEach(async () => {
    [a, b] = [node(), node()];
    await Promise.all([a.ready(), b.ready()]); // as at a node's start: no table is created behind a gate
  });
  afterEach(() => Promise.all([a.close(), b.close()]));

  it('uses a code asked for through one node once, when two nodes redeem it at the same moment', async () => {
    const request = challengeRequest();
    await a.openChallenge(request);
    // Both redemptions are queued behind one lock on the challenge's row, then let through together.
    const gate = await lockGate({ sql: `SELECT 1 FROM ${schema}.sign_in_code_challenges WHERE id = $1 FOR UPDATE`, values: [request.id] });
    const redemptions = Promise.all([a.consume(request.id, 1_000_100, 5), b.consume(request.id, 1_000_100, 5)]);
    await gate.waiters(2);
    await gate.open();
    expect((await redemptions).sort()).toEqual([false, true]);
  });

  it('counts wrong tries on both nodes together: the code is locked on both', async () => {
    const request = challengeRequest();
    await a.openChallenge(request);
    const tries = [];
    for (let i = 0; i < 5; i++) tries.push(await (i % 2 ? b : a).wrongAttempt(request.id));
    expect(tries).toEqual([1, 2, 3, 4, 5]);
    expect((await b.challenge(request.id))?.attempts).toBe(5);
    expect(await a.consume(request.id, 1_000_100, 5)).toBe(false);
    expect(await b.consume(request.id, 1_000_100, 5)).toBe(false);
  });

  it('lets one request through when the last one an address may make reaches two nodes at once', async () => {
    const first = challengeRequest({ perAddress: 1 });
    const second = challengeRequest({ perAddress: 1, addressHash: first.addressHash });
    const gate = await lockGate({
      sql: 'SELECT pg_advisory_xact_lock(hashtext($1))',
      values: [`civic-ledger/sign-in-code/address:${first.addressHash}`],
    });
    const requests = Promise.all([a.openChallenge(first), b.openChallenge(second)]);
    await gate.waiters(2);
    await gate.open();
    expect((await requests).sort()).toEqual(['address-limited', 'opened']);
  });

  it('hands each job to one worker, and to another only once its lease has run out', async () => {
    const now = 90_000_000_000;
    for (const payloadSealed of ['j1', 'j2', 'j3']) await a.openChallenge(challengeRequest({ now, job: { kind: 'k', payloadSealed } }));
    const [onA, onB] = await Promise.all([a.claimJobs(now, 20, 60_000), b.claimJobs(now, 20, 60_000)]);
    const mine = (jobs: { payloadSealed: string }[]) => jobs.map((j) => j.payloadSealed).filter((p) => /^j\d$/.test(p));
    expect([...mine(onA), ...mine(onB)].sort()).toEqual(['j1', 'j2', 'j3']);
    expect(mine(await b.claimJobs(now + 59_999, 20, 60_000))).toEqual([]);
    expect(await a.hasDueJobs(now + 59_999)).toBe(false);
    // The first worker died mid-job: after its lease, another takes the job again.
    expect(mine(await b.claimJobs(now + 60_000, 20, 60_000)).sort()).toEqual(['j1', 'j2', 'j3']);
  });
});
