import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotificationReactor } from '../apps/api/src/notifications/notification-reactor';
import { NotificationWorker } from '../apps/api/src/notifications/notification-worker';
import { startApi, type Gql } from './support/api-client';
import { pollCardsOf } from './support/poll-cards';
import { SmtpInbox } from './support/smtp-inbox';
import { ok, votingFund, type VotingFund } from './support/voting-fund';

/**
 * Rotating JWT_SECRET: with the replaced secret as JWT_SECRET_PREVIOUS, what it signed, hashed or
 * sealed keeps working (a session's token, a printed voting code, a resident's choice of e-mails,
 * from which their receipts are found); without it, all of that stops. The same files, restarted.
 */
jest.setTimeout(120_000);
type Api = Awaited<ReturnType<typeof startApi>>;
const codeOf = (res: Gql) => res.errors?.[0]?.extensions.code;
const OLD = randomBytes(32).toString('base64url');
const NEW = randomBytes(32).toString('base64url');
const [ANN, BEN] = ['RS-000001', 'RS-000002'];

const inbox = new SmtpInbox();
const dir = mkdtempSync(join(tmpdir(), 'civic-rotation-'));
let api: Api | undefined;
let fund: VotingFund;
let cards: Map<string, string>;

const start = async (secrets: Record<string, string>) => {
  await api?.stop({ keepFiles: true });
  api = await startApi(
    { ...secrets, ...inbox.env(), RESIDENT_SIGN_IN_POLL_CARD: 'true', PERSONAL_DATA_EXPORTERS: 'admin-1', RATE_LIMIT_PER_MINUTE: '100000' },
    { dir },
  );
  return api;
};
const me = (node: Api, token: string) => node.gql('{ me { subject } }', {}, token);
const withPollCard = (node: Api, reference: string) =>
  node.gql('mutation($r: String!, $c: String!) { signInWithPollCard(reference: $r, code: $c) { token } }', {
    r: reference,
    c: cards.get(reference),
  });
const receipts = () => inbox.to('ann@example.org').filter((m) => /^Your vote is recorded/.test(m.subject));
const castAndDrain = async (node: Api, token: string, mutation: 'castBallot' | 'replaceBallot') => {
  ok(
    await node.gql(
      `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { ${mutation}(fundId: $f, potId: $p, content: $c) { code } }`,
      { f: fund.fundId, p: fund.potId, c: { proposalIds: [fund.proposals[0]] } },
      token,
    ),
  );
  await node.app.get(NotificationReactor).caughtUp();
  await node.app.get(NotificationWorker).settled();
};

beforeAll(async () => {
  await inbox.start();
  const first = await start({ JWT_SECRET: OLD });
  fund = await votingFund(first, [ANN, BEN], { emails: { [ANN]: 'ann@example.org', [BEN]: 'ben@example.org' } });
  cards = await pollCardsOf(first, fund.fundId, fund.admin);
  ok(
    await first.gql(
      'mutation { setMyNotifications(input: { votingEmails: true, language: "en" }) { votingEmails } }',
      {},
      fund.tokens[ANN],
    ),
  );
});
afterAll(async () => {
  await api?.stop();
  await inbox.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('rotating JWT_SECRET', () => {
  it('without JWT_SECRET_PREVIOUS, the old secret’s tokens, printed codes and sealed choices stop', async () => {
    const node = await start({ JWT_SECRET: NEW });
    expect(codeOf(await me(node, fund.tokens[ANN]))).toMatch(/^AUTH\./);
    expect(codeOf(await withPollCard(node, BEN))).toBe('AUTH.CODE_INVALID');
    // Ann's choice of e-mails was sealed under the old secret: her receipt cannot be found.
    const ann = await node.signIn('resident', ANN);
    await castAndDrain(node, ann, 'castBallot');
    expect(receipts()).toHaveLength(0);
  });

  it('with it, they keep working, and what is new is signed with the new secret alone', async () => {
    const node = await start({ JWT_SECRET: NEW, JWT_SECRET_PREVIOUS: OLD });
    expect(ok(await me(node, fund.tokens[ANN])).me.subject).toBe(ANN);
    const ben = ok(await withPollCard(node, BEN)).signInWithPollCard.token as string;
    expect(ok(await me(node, ben)).me.subject).toBe(BEN);
    await castAndDrain(node, fund.tokens[ANN], 'replaceBallot');
    expect(receipts()).toHaveLength(1);
    // Once the old secret is dropped, the token signed after the rotation still works; the old one stops.
    const after = await start({ JWT_SECRET: NEW });
    expect(ok(await me(after, ben)).me.subject).toBe(BEN);
    expect(codeOf(await me(after, fund.tokens[ANN]))).toMatch(/^AUTH\./);
  });
});
