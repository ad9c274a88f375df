import type { Client } from 'graphql-ws';
import { fundTopic, LiveUpdates, tallyTopic } from '../apps/api/src/live/live-updates';
import { openSchedule, startApi } from './support/api-client';
import { wsClients } from './support/ws-client';

let api: Awaited<ReturnType<typeof startApi>>;
let admin: string;
let fundId: string;
let potId: string;
let ws: ReturnType<typeof wsClients>;
const connect = (token?: string) => ws.connect(token);

/** Resolves once the server holds a subscription on `topic` (graphql-ws does not acknowledge one). */
async function listening(topic: string): Promise<void> {
  const live = api.app.get(LiveUpdates);
  const deadline = Date.now() + 15_000;
  while (live.listeners(topic) === 0) {
    if (Date.now() > deadline) throw new Error(`no subscription on ${topic}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The first `n` results of a subscription (or its error). */
function collect(client: Client, query: string, variables: Record<string, unknown>, n: number) {
  const results: any[] = [];
  const done = new Promise<any[]>((resolve, reject) => {
    const dispose = client.subscribe(
      { query, variables },
      {
        next: (value) => {
          results.push(value);
          if (results.length >= n) {
            dispose();
            resolve(results);
          }
        },
        error: (err) => {
          resolve([{ error: err }]);
        },
        complete: () => resolve(results),
      },
    );
    setTimeout(() => reject(new Error(`timed out with ${results.length} results`)), 15_000);
  });
  return { done };
}

beforeAll(async () => {
  api = await startApi();
  ws = wsClients(api.url);
  admin = await api.signIn('administrator', 'admin-1');
  const created = await api.gql(
    `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
    { i: { name: 'Fund', description: 'A fund.', schedule: openSchedule() } },
    admin,
  );
  fundId = created.data.createFund.fund.id;
  const pot = await api.gql(
    `mutation($i: AddPotInput!) { addPot(input: $i) { fund { pots { id } } } }`,
    { i: { fundId, name: 'Borough-wide', budget: '1000000', rule: 'greedy_by_votes', ballot: { kind: 'knapsack' } } },
    admin,
  );
  potId = pot.data.addPot.fund.pots[0].id;
});

afterAll(async () => {
  await ws.disposeAll();
  await api.stop();
});

describe('subscriptions over graphql-ws', () => {
  it('tells anyone following a fund about its phase changes, in order', async () => {
    const { done } = collect(connect(), `subscription($f: ID!) { fundChanged(fundId: $f) { phase } }`, { f: fundId }, 2);
    await listening(fundTopic(fundId));
    await api.gql(`mutation($id: ID!) { openProposals(fundId: $id) { fund { phase } } }`, { id: fundId }, admin);
    await api.gql(`mutation($id: ID!) { startReview(fundId: $id) { fund { phase } } }`, { id: fundId }, admin);
    const got = await done;
    expect(got.map((r) => r.data?.fundChanged?.phase ?? JSON.stringify(r))).toEqual(['proposals_open', 'review']);
  });

  it('refuses live tallies to a caller who is not staff', async () => {
    const resident = await api.signIn('resident', 'TH-1');
    const { done } = collect(connect(resident), `subscription($p: ID!) { tallyUpdated(potId: $p) { ballots } }`, { p: potId }, 1);
    const [result] = await done;
    const code = result.errors?.[0]?.extensions?.code ?? result.error?.[0]?.extensions?.code;
    expect(code).toBe('AUTH.FORBIDDEN');
  });

  it('tells staff following a tally how many residents may vote in its pot when the register changes', async () => {
    const reviewer = await api.signIn('reviewer', 'reviewer-live-register');
    const { done } = collect(
      connect(reviewer),
      `subscription($p: ID!) { tallyUpdated(potId: $p) { ballots registered } }`,
      { p: potId },
      1,
    );
    await listening(tallyTopic(potId));
    const csv = ['reference,ward,date_of_birth', 'TH-LIVE-R1,Bow West,1980-01-01', 'TH-LIVE-R2,Mile End,1980-01-01'].join('\n');
    const imported = await api.gql(`mutation($c: String!) { importRegister(csv: $c) { imported } }`, { c: csv }, admin);
    expect(imported.data.importRegister.imported).toBe(2);
    const [message] = await done;
    // The borough-wide pot counts every verified resident: the two imported now are among them.
    const turnout = await api.gql(`query($f: ID!) { turnout(fundId: $f) { potId registered } }`, { f: fundId }, reviewer);
    expect(turnout.data.turnout[0].registered).toBeGreaterThanOrEqual(2);
    expect(message.data?.tallyUpdated ?? message).toEqual({ ballots: 0, registered: turnout.data.turnout[0].registered });
  });

  it('refuses a connection with a forged token', async () => {
    const { done } = collect(connect('not.a.token'), `subscription($f: ID!) { fundChanged(fundId: $f) { phase } }`, { f: fundId }, 1);
    const [result] = await done;
    // graphql-ws closes the socket with 4403 Forbidden when onConnect refuses the connection.
    expect(result.error).toMatchObject({ code: 4403, reason: 'Forbidden' });
  });
});
