import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ProjectionRunner } from '@civic/projections';
import { NotificationReactor } from '../apps/api/src/notifications/notification-reactor';
import { NotificationWorker } from '../apps/api/src/notifications/notification-worker';
import { PostgresNotificationStore } from '../apps/api/src/notifications/postgres-notification-store';
import { ProposalReader } from '../apps/api/src/proposals/proposal.reader';
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
const secrets = () => ({
  JWT_SECRET: randomBytes(32).toString('base64url'),
  KEY_MASTER_SECRET: randomBytes(32).toString('base64'),
  AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
});
const held = () => {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
};
type Node = Awaited<ReturnType<typeof startApi>>;
const submit = async (node: Node, fund: { fundId: string; potId: string }, title: string, token: string) =>
  ok(
    await node.gql(
      `mutation($i: SubmitProposalInput!) { submitProposal(input: $i) { proposal { id } } }`,
      {
        i: { fundId: fund.fundId, potId: fund.potId, title, summary: title, description: title, category: 'parks', estimatedCost: '1000' },
      },
      token,
    ),
  ).submitProposal.proposal.id as string;
const accept = async (node: Node, id: string, reviewer: string) =>
  ok(await node.gql(`mutation($id: ID!) { acceptProposal(proposalId: $id, officialCost: "1000000") { position } }`, { id }, reviewer));
async function drained(node: Node) {
  await node.app.get(NotificationReactor).caughtUp();
  await node.app.get(NotificationWorker).settled();
}

/** A deployment of its own on a fresh schema, for one describe: its SMTP inbox, and the nodes it starts (stopped after). */
function ownDeployment(name: string) {
  const inbox = new SmtpInbox();
  const keys = secrets();
  const schema = `test_notify_${name}_${randomBytes(4).toString('hex')}`;
  const nodes: Node[] = [];
  beforeAll(() => inbox.start());
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await inbox.stop();
    await dropDeployment(DATABASE_URL, schema);
  });
  /** A node on the deployment's store, sending e-mails unless `notifications` is false. */
  const start = async (notifications = true) => {
    const node = await startApi({
      EVENT_STORE: 'postgres',
      DATABASE_URL,
      DATABASE_SCHEMA: schema,
      ...keys,
      ...(notifications ? inbox.env() : {}),
    });
    nodes.push(node);
    return node;
  };
  return { inbox, schema, nodes, start };
}

describe('e-mail notifications from two API nodes on one PostgreSQL', () => {
  const inbox = new SmtpInbox();
  const shared = secrets();
  let nodes: Awaited<ReturnType<typeof startApi>>[] = [];

  beforeAll(async () => {
    await inbox.start();
    const env = { EVENT_STORE: 'postgres', DATABASE_URL, DATABASE_SCHEMA: schema, ...shared, ...inbox.env() };
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

/**
 * A node plans each event from the event store, not from its own read models: another node may
 * move the shared checkpoint to events this node has not folded yet (here its read models are
 * stopped outright, the extreme of a node that lags), and the author must still hear of it.
 */
describe('a node whose read models are behind the shared checkpoint', () => {
  const { inbox, nodes, start } = ownDeployment('lag');

  it('still tells the author that a proposal it never folded was accepted', async () => {
    const author = 'TH-931000';
    const a = await start();
    const fund = await votingFund(a, [author], { until: 'proposals_open', emails: { [author]: 'lag@example.org' } });
    await drained(a);
    const b = await start();
    // B folds nothing more from here on; A's reactor takes a page and is held: B's plans every event after this.
    await b.app.get(ProjectionRunner).stop();
    const holdA = held();
    a.app.get(NotificationReactor).beforePage = () => holdA.promise;
    try {
      const id = await submit(a, fund, 'Community orchard', fund.tokens[author]);
      ok(await a.gql(`mutation($id: ID!) { startReview(fundId: $id) { fund { phase } } }`, { id: fund.fundId }, fund.admin));
      await accept(a, id, fund.reviewer);
      await drained(b);
      expect(b.app.get(ProposalReader).get(id)).toBeUndefined(); // B's read models never held it
    } finally {
      a.app.get(NotificationReactor).beforePage = undefined;
      holdA.release();
    }
    await Promise.all(nodes.map(drained));
    expect(inbox.to('lag@example.org').map((m) => m.subject)).toEqual(['Your proposal “Community orchard” was accepted']);
  });
});

/**
 * The first node to switch notifications on: nothing from before it started is sent, and nothing
 * appended after it started is lost, however late its reactor first reads the checkpoint (here that
 * read is held until an acceptance has been appended through another node).
 */
describe('the first start of notifications', () => {
  const { inbox, schema: firstSchema, start } = ownDeployment('first');

  it('sends what happened once the node started, even before its reactor first ran, and nothing from before', async () => {
    const author = 'TH-932000';
    // A writes with notifications off: it never sets the checkpoint.
    const a = await start(false);
    const fund = await votingFund(a, [author], { until: 'review', emails: { [author]: 'first@example.org' } });
    await accept(a, fund.proposals[0], fund.reviewer); // before any node sends notifications
    const outbox = new PostgresNotificationStore({ connectionString: DATABASE_URL, schema: firstSchema });
    expect(await outbox.checkpoint()).toBeUndefined();
    await outbox.close();
    // B's reactor is held at its first read of the checkpoint until Benches is accepted through A.
    const original = PostgresNotificationStore.prototype.checkpoint;
    const reading = held();
    const readable = held();
    const spy = jest.spyOn(PostgresNotificationStore.prototype, 'checkpoint').mockImplementationOnce(async function (
      this: PostgresNotificationStore,
    ) {
      reading.release();
      await readable.promise;
      return original.call(this);
    });
    try {
      const b = await start();
      await reading.promise;
      await accept(a, fund.proposals[1], fund.reviewer);
      readable.release();
      await drained(b);
    } finally {
      readable.release();
      spy.mockRestore();
    }
    expect(inbox.to('first@example.org').map((m) => m.subject)).toEqual(['Your proposal “Benches” was accepted']);
  });
});
