import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { EventStore } from '@civic/event-store';
import { SessionSockets } from '../apps/api/src/auth/session-sockets';
import { EVENT_STORE } from '../apps/api/src/tokens';
import { startApi, type Gql } from './support/api-client';
import { followFund } from './support/fund-follower';
import { startKiosk } from './support/kiosks';
import { pollCardsOf } from './support/poll-cards';
import { dropDeployment } from './support/postgres-schemas';
import { ok, votingFund, type VotingFund } from './support/voting-fund';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `test_kiosk_${randomBytes(4).toString('hex')}`;
jest.setTimeout(90_000);
type Api = Awaited<ReturnType<typeof startApi>>;
const codeOf = (res: Gql) => res.errors?.[0]?.extensions.code;

/**
 * A kiosk on two API nodes sharing one PostgreSQL: its state is its stream of events and a kiosk
 * session keeps its kiosk in the shared sessions' table, so whichever node a request reaches
 * knows the kiosk, takes its ballots with the officer and the place, and ends it for all.
 */
describe('a kiosk on two API nodes on one PostgreSQL', () => {
  const secrets = {
    JWT_SECRET: randomBytes(32).toString('base64url'),
    KEY_MASTER_SECRET: randomBytes(32).toString('base64'),
    AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  const env = {
    EVENT_STORE: 'postgres',
    DATABASE_URL,
    DATABASE_SCHEMA: schema,
    ...secrets,
    RESIDENT_SIGN_IN_POLL_CARD: 'true',
    PERSONAL_DATA_EXPORTERS: 'admin-1',
    RATE_LIMIT_PER_MINUTE: '100000',
  };
  const residents = ['KP-000001', 'KP-000002', 'KP-000003'];
  let a: Api;
  let b: Api;
  let fund: VotingFund;
  let cards: Map<string, string>;

  beforeAll(async () => {
    a = await startApi(env);
    b = await startApi(env);
    fund = await votingFund(a, residents);
    cards = await pollCardsOf(a, fund.fundId, fund.admin); // printed codes are kept by the node that made them
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await dropDeployment(DATABASE_URL, schema);
  });

  const kiosk = (node: Api, device: string) => node.gql('query($d: String!) { kiosk(device: $d) { kioskId place } }', { d: device });
  const atKiosk = (node: Api, device: string, reference: string) =>
    node.gql('mutation($d: String!, $r: String!, $c: String!) { signInAtKiosk(device: $d, reference: $r, code: $c) { token } }', {
      d: device,
      r: reference,
      c: cards.get(reference),
    });
  const me = (node: Api, token: string) => node.gql('{ me { subject signedInWith } }', {}, token);

  it('is started through A, seen, voted at and ended through B, and ended on A too', async () => {
    const { device, kiosk: started } = await startKiosk(a, fund.fundId, 'Bow Library', fund.reviewer);
    const { kioskId } = started;
    expect(ok(await kiosk(b, device)).kiosk).toEqual({ kioskId, place: 'Bow Library' });
    // A forged token for the same kiosk is not a device in kiosk mode on either node.
    expect(ok(await kiosk(b, `${kioskId}.${'0'.repeat(64)}`)).kiosk).toBeNull();

    // Signed in at the kiosk through A, the resident's ballot reaches B: it carries the officer and the place.
    const voter = ok(await atKiosk(a, device, residents[0])).signInAtKiosk.token as string;
    expect(ok(await me(b, voter)).me).toEqual({ subject: residents[0], signedInWith: 'kiosk' });
    ok(
      await b.gql(
        'mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position } }',
        { f: fund.fundId, p: fund.potId, c: { proposalIds: [fund.proposals[0]] } },
        voter,
      ),
    );
    const ballot = await b.app.get<EventStore>(EVENT_STORE).readAll({ filter: { eventTypes: ['BallotCast'] } });
    expect(ballot.map((e) => (e.data as { source: unknown }).source)).toEqual([
      { channel: 'assisted', kioskId, officer: 'officer-1', place: 'Bow Library' },
    ]);

    // Another resident signs in through A; the officer ends the kiosk through B.
    const waiting = ok(await atKiosk(a, device, residents[1])).signInAtKiosk.token as string;
    expect(ok(await b.gql('mutation($d: String!) { endKiosk(device: $d) }', { d: device }, fund.reviewer)).endKiosk).toBe(true);
    for (const node of [a, b]) {
      expect(codeOf(await me(node, waiting))).toBe('AUTH.UNAUTHENTICATED');
      expect(ok(await kiosk(node, device)).kiosk).toBeNull();
    }
    expect(codeOf(await atKiosk(a, device, residents[1]))).toBe('KIOSK.NOT_ACTIVE');
    expect(codeOf(await a.gql('mutation($d: String!) { endKiosk(device: $d) }', { d: device }, fund.reviewer))).toBe('KIOSK.NOT_ACTIVE');
  });

  it('ended through B, closes at once with 4401 the subscriptions its sessions hold on A', async () => {
    const { device } = await startKiosk(a, fund.fundId, 'Poplar Library', fund.reviewer);
    const voter = ok(await atKiosk(a, device, residents[2])).signInAtKiosk.token as string;
    // Node A's fallback (a look every 30 s for sessions revoked elsewhere) is stopped: only node B's notice can close the socket.
    a.app.get(SessionSockets).onModuleDestroy();
    const { client, closed } = await followFund(a, fund.fundId, { token: voter });
    expect(ok(await b.gql('mutation($d: String!) { endKiosk(device: $d) }', { d: device }, fund.reviewer)).endKiosk).toBe(true);
    expect((await closed).code).toBe(4401);
    await client.dispose();
  });
});
