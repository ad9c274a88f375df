import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { NotificationReactor } from '../apps/api/src/notifications/notification-reactor';
import { NotificationWorker } from '../apps/api/src/notifications/notification-worker';
import { startApi } from './support/api-client';
import { dropDeployment } from './support/postgres-schemas';
import { SmtpInbox } from './support/smtp-inbox';
import { ok, votingFund } from './support/voting-fund';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `test_notify_${randomBytes(4).toString('hex')}`;
jest.setTimeout(120_000);

/**
 * Two API nodes on one PostgreSQL share the notification outbox and its checkpoint: both follow
 * the history and both drain the queue, and every message still arrives once.
 */
describe('e-mail notifications from two API nodes on one PostgreSQL', () => {
  const inbox = new SmtpInbox();
  const secrets = {
    JWT_SECRET: randomBytes(32).toString('base64url'),
    KEY_MASTER_SECRET: randomBytes(32).toString('base64'),
    AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  let nodes: Awaited<ReturnType<typeof startApi>>[] = [];

  beforeAll(async () => {
    await inbox.start();
    const env = { EVENT_STORE: 'postgres', DATABASE_URL, DATABASE_SCHEMA: schema, ...secrets, ...inbox.env() };
    nodes = [await startApi(env), await startApi(env)];
  });
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await inbox.stop();
    await dropDeployment(DATABASE_URL, schema);
  });

  it('sends each resident’s voting-opened e-mail and each receipt once', async () => {
    const [a, b] = nodes;
    const residents = Array.from({ length: 6 }, (_, i) => `TH-93000${i}`);
    const emails = Object.fromEntries(residents.map((r) => [r, `${r.toLowerCase()}@example.org`]));
    const fund = await votingFund(a, residents, { until: 'review', emails });
    for (const [i, r] of residents.entries()) {
      const via = i % 2 ? b : a;
      const token = await via.signIn('resident', r);
      ok(await via.gql(`mutation { setMyNotifications(input: { votingEmails: true, language: "en" }) { votingEmails } }`, {}, token));
      fund.tokens[r] = token;
    }
    for (const id of fund.proposals)
      ok(
        await b.gql(`mutation($id: ID!) { acceptProposal(proposalId: $id, officialCost: "1000000") { position } }`, { id }, fund.reviewer),
      );
    ok(await a.gql(`mutation($id: ID!) { openVoting(fundId: $id) { position } }`, { id: fund.fundId }, fund.admin));
    await Promise.all(
      residents.map((r, i) =>
        (i % 2 ? a : b).gql(
          `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { code } }`,
          { f: fund.fundId, p: fund.potId, c: { proposalIds: [fund.proposals[0]] } },
          fund.tokens[r],
        ),
      ),
    );
    for (const node of nodes) await node.app.get(NotificationReactor).caughtUp();
    await Promise.all(nodes.map((node) => node.app.get(NotificationWorker).settled()));
    const byKind = (pattern: RegExp) => inbox.mails.filter((m) => pattern.test(m.subject)).map((m) => m.to[0]);
    const everyone = Object.values(emails).sort();
    expect(byKind(/^Voting is open/).sort()).toEqual(everyone);
    expect(byKind(/^Your vote is recorded/).sort()).toEqual(everyone);
    // The author (the first resident) heard of each of the three acceptances, once each.
    expect(byKind(/was accepted$/)).toEqual([emails[residents[0]], emails[residents[0]], emails[residents[0]]]);
    expect(inbox.mails).toHaveLength(2 * residents.length + 3);
  });
});
