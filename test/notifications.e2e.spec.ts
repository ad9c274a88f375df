import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignInOutbox } from '../apps/api/src/auth/email-code/sign-in-outbox';
import { NotificationReactor } from '../apps/api/src/notifications/notification-reactor';
import { SqliteNotificationStore } from '../apps/api/src/notifications/sqlite-notification-store';
import { NotificationWorker } from '../apps/api/src/notifications/notification-worker';
import { VotingReminders } from '../apps/api/src/notifications/voting-reminders';
import { startApi } from './support/api-client';
import { SmtpInbox } from './support/smtp-inbox';
import { ok, votingFund } from './support/voting-fund';

/**
 * E-mail notifications, through a real SMTP server (smtp-server, in process): each message
 * arrives once, in the resident's language, never holding up the mutation that caused it, and
 * a restart of the API in the middle of the queue loses none and sends none twice.
 */
jest.setTimeout(120_000);
type Api = Awaited<ReturnType<typeof startApi>>;

const inbox = new SmtpInbox();
const dir = mkdtempSync(join(tmpdir(), 'civic-notify-'));
// A still clock: the reminders' sweep runs when the test says, not once a minute.
const clock = { at: Date.now(), now: () => clock.at };
const env = () => ({ ...inbox.env(), RESIDENT_SIGN_IN_EMAIL_CODE: 'true', RATE_LIMIT_PER_MINUTE: '100000' });

const RESIDENTS = [
  ['TH-910001', 'Mile End', 'Ann', 'ann@example.org'],
  ['TH-910002', 'Mile End', 'Ben', 'ben@example.org'],
  ['TH-910003', 'Mile End', 'Cat', 'cat@example.org'],
  ['TH-910004', 'Mile End', 'Dan', 'dan@example.org'],
  ['TH-910005', 'Bow East', 'Eve', 'eve@example.org'],
];
const [ANN, BEN, CAT, DAN, EVE] = RESIDENTS.map((r) => r[0]);

let api: Api;
const tokens: Record<string, string> = {};
let admin: string;
let reviewer: string;
let fundId: string;
let potId: string;
const proposals: Record<string, string> = {};

const reactor = () => api.app.get(NotificationReactor);
const worker = () => api.app.get(NotificationWorker);
/** Everything the history calls for is queued and everything due is sent. */
async function settled() {
  await reactor().caughtUp();
  await worker().settled();
}
const held = () => {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
};
const choose = (reference: string, votingEmails: boolean, language: string) =>
  api.gql(
    `mutation($i: MyNotificationsInput!) { setMyNotifications(input: $i) { votingEmails language hasEmail } }`,
    { i: { votingEmails, language } },
    tokens[reference],
  );
const cast = (reference: string, proposalIds: string[], mutation = 'castBallot') =>
  api.gql(
    `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { ${mutation}(fundId: $f, potId: $p, content: $c) { code } }`,
    { f: fundId, p: potId, c: { proposalIds } },
    tokens[reference],
  );
const fundStep = (step: string) =>
  api.gql(`mutation($id: ID!) { ${step}(fundId: $id) { fund { phase } } }`, { id: fundId }, admin).then(ok);

beforeAll(async () => {
  await inbox.start();
  api = await startApi(env(), { dir, authClock: clock });
  // Voting closes 12 hours after it opens: inside the reminder's day from the start.
  const emails = Object.fromEntries(RESIDENTS.map(([ref, , , email]) => [ref, email]));
  const fund = await votingFund(api, [ANN, BEN, CAT, DAN], { until: 'review', closesInMs: 12 * 3600_000, emails });
  ({ admin, reviewer, fundId, potId } = fund);
  Object.assign(tokens, fund.tokens);
  ['Playground', 'Benches', 'Murals'].forEach((title, i) => (proposals[title] = fund.proposals[i]));
  const eve = `reference,ward,date_of_birth,name,address,email\n${EVE},Bow East,1980-01-01,Eve,5 Bow Rd,eve@example.org`;
  ok(await api.gql('mutation($csv: String!) { importRegister(csv: $csv) { imported } }', { csv: eve }, admin));
  tokens[EVE] = await api.signIn('resident', EVE);
});
afterAll(async () => {
  await api?.stop();
  await inbox.stop();
});

describe('e-mail notifications', () => {
  it('lets a resident choose e-mails about voting and their language; refuses a language it does not write', async () => {
    expect(ok(await choose(ANN, false, 'bn')).setMyNotifications).toEqual({ votingEmails: false, language: 'bn', hasEmail: true });
    for (const [ref, language] of [
      [BEN, 'en'],
      [CAT, 'bn'],
      [DAN, 'en'],
      [EVE, 'en'],
    ])
      ok(await choose(ref, true, language));
    expect(ok(await api.gql('{ myNotifications { votingEmails language } }', {}, tokens[CAT])).myNotifications).toEqual({
      votingEmails: true,
      language: 'bn',
    });
    expect((await choose(BEN, true, 'fr')).errors?.[0].extensions.code).toBe('INPUT.INVALID');
  });

  it('tells the author of a proposal, in their language, that it was accepted, without holding up the answer', async () => {
    const gate = held();
    reactor().beforePage = () => gate.promise;
    try {
      const accepted = await api.gql(
        `mutation($id: ID!) { acceptProposal(proposalId: $id, officialCost: "1234567") { proposal { status } } }`,
        { id: proposals.Playground },
        reviewer,
      );
      // The answer came while the reactor is held: nothing is queued, nothing sent.
      expect(ok(accepted).acceptProposal.proposal.status).toBe('accepted');
      expect(inbox.to('ann@example.org')).toHaveLength(0);
    } finally {
      reactor().beforePage = undefined;
      gate.release();
    }
    await settled();
    const [mail] = inbox.to('ann@example.org');
    expect(mail.subject).toBe('আপনার প্রস্তাব “Playground” গৃহীত হয়েছে');
    // The official cost in pounds, in Bengali digits, through Intl.
    expect(mail.text).toContain(new Intl.NumberFormat('bn-BD', { style: 'currency', currency: 'GBP' }).format(12345.67));
    expect(mail.text).toContain('নম্বর ১');
  });

  it('tells the author that a proposal was rejected (with the reason) or merged (naming the survivor)', async () => {
    ok(
      await api.gql(
        `mutation($id: ID!) { rejectProposal(proposalId: $id, reason: "Not on council land.") { position } }`,
        { id: proposals.Benches },
        reviewer,
      ),
    );
    ok(
      await api.gql(
        `mutation($s: ID!, $d: [ID!]!) { mergeProposals(survivorId: $s, duplicateIds: $d) { position } }`,
        {
          s: proposals.Playground,
          d: [proposals.Murals],
        },
        reviewer,
      ),
    );
    await settled();
    const [, rejected, merged] = inbox.to('ann@example.org');
    expect(rejected.subject).toBe('আপনার প্রস্তাব “Benches” গৃহীত হয়নি');
    expect(rejected.text).toContain('Not on council land.');
    expect(merged.subject).toContain('“Murals”');
    expect(merged.text).toContain('“Playground” (নম্বর ১)');
  });

  it('tells the residents who opted in, and may vote, that voting opened; nobody erased, nobody of another ward', async () => {
    ok(
      await api.gql(`mutation($r: String!) { eraseResident(reference: $r, reason: "Asked to be forgotten.") { done } }`, { r: DAN }, admin),
    );
    await fundStep('openVoting');
    await settled();
    const opened = inbox.mails.filter((m) => /Voting is open|ভোট শুরু হয়েছে/.test(m.subject));
    expect(opened.map((m) => m.to[0]).sort()).toEqual(['ben@example.org', 'cat@example.org']);
    expect(inbox.to('ben@example.org')[0].subject).toBe('Voting is open: Mile End Fund');
    expect(inbox.to('cat@example.org')[0].subject).toBe('ভোট শুরু হয়েছে: Mile End Fund');
    expect(inbox.to('dan@example.org')).toHaveLength(0);
    expect(inbox.to('eve@example.org')).toHaveLength(0);
  });

  it('sends a voter their receipt, and reminds only those who have not voted, once', async () => {
    const code = ok(await cast(CAT, [proposals.Playground])).castBallot.code as string;
    await settled();
    const receipt = inbox.to('cat@example.org').at(-1)!;
    expect(receipt.subject).toBe(`আপনার ভোট নথিভুক্ত হয়েছে: রসিদ ${code}`);
    expect(receipt.text).toContain(`/receipt?code=${encodeURIComponent(code)}`);
    const reminders = api.app.get(VotingReminders);
    await reminders.sweep(clock.now(), true);
    await reminders.sweep(clock.now(), true);
    await settled();
    const reminded = inbox.mails.filter((m) => /closes soon|শীঘ্রই শেষ/.test(m.subject));
    expect(reminded.map((m) => m.to[0])).toEqual(['ben@example.org']);
    expect(reminded[0].text).toContain('you have not voted yet');
  });

  it('loses nothing and sends nothing twice when the API stops in the middle of its queue', async () => {
    const before = inbox.mails.length;
    const sending = held();
    worker().beforeSend = () => sending.promise;
    ok(await cast(BEN, [proposals.Playground]));
    // Ben's receipt is claimed and held; Cat's next receipt is not even queued when the API stops.
    while (
      (await reactor()
        .caughtUp()
        .then(() => false)) === true
    );
    const queuing = held();
    reactor().beforePage = () => queuing.promise;
    const replaced = ok(await cast(CAT, [proposals.Playground], 'replaceBallot')).replaceBallot.code as string;
    const stopping = api.stop({ keepFiles: true });
    sending.release();
    queuing.release();
    await stopping;
    expect(inbox.mails.length).toBe(before);
    // Stopped with Ben's receipt queued, unsent, and Cat's not yet queued (the reactor's checkpoint is before her ballot).
    const outbox = new SqliteNotificationStore({ path: join(dir, 'notifications.sqlite') });
    expect(await outbox.pending()).toBe(1);
    await outbox.close();

    api = await startApi(env(), { dir, authClock: clock });
    for (const [ref] of RESIDENTS) tokens[ref] = await api.signIn('resident', ref);
    await settled();
    const after = inbox.mails.slice(before);
    expect(after.map((m) => m.to[0]).sort()).toEqual(['ben@example.org', 'cat@example.org']);
    expect(after.find((m) => m.to[0] === 'cat@example.org')!.subject).toContain(replaced);
    // Nothing sent before the restart came again.
    const subjects = inbox.mails.map((m) => `${m.to[0]} ${m.subject}`);
    expect(new Set(subjects).size).toBe(subjects.length);
  });

  it('stops e-mails about voting once a resident opts out', async () => {
    ok(await choose(BEN, false, 'en'));
    const before = inbox.to('ben@example.org').length;
    ok(await cast(BEN, [proposals.Playground], 'replaceBallot'));
    await settled();
    expect(inbox.to('ben@example.org')).toHaveLength(before);
  });

  it('tries again later when the SMTP server refuses a message, and then sends it once', async () => {
    const before = inbox.to('cat@example.org').length;
    inbox.refuse = true;
    try {
      ok(await cast(CAT, [proposals.Playground], 'replaceBallot'));
      await settled(); // tried and refused: due again in 5 s
      expect(inbox.to('cat@example.org')).toHaveLength(before);
    } finally {
      inbox.refuse = false;
    }
    await settled();
    expect(inbox.to('cat@example.org')).toHaveLength(before); // not before its time
    clock.at += 5_000;
    await settled();
    expect(inbox.to('cat@example.org')).toHaveLength(before + 1);
  });

  it('mails the sign-in code in Bengali to a resident who chose Bengali', async () => {
    ok(await api.gql('mutation($i: String!) { requestSignInCode(identifier: $i) { challenge } }', { i: 'ann@example.org' }));
    await api.app.get(SignInOutbox).settled();
    const mail = inbox.to('ann@example.org').at(-1)!;
    expect(mail.subject).toMatch(/^আপনার সাইন-ইন কোড: \d{6}$/);
    expect(mail.text).not.toContain('Your code');
  });
});

describe('an erased resident', () => {
  it('gets nothing more, not even what was queued for them before the erasure', async () => {
    const before = inbox.to('cat@example.org').length;
    const sending = held();
    worker().beforeSend = () => sending.promise;
    try {
      ok(await cast(CAT, [proposals.Playground], 'replaceBallot'));
      await reactor().caughtUp(); // her receipt is queued, held before it is sent
      ok(await api.gql(`mutation($r: String!) { eraseResident(reference: $r, reason: "Moved away.") { done } }`, { r: CAT }, admin));
    } finally {
      worker().beforeSend = undefined;
      sending.release();
    }
    await settled();
    expect(inbox.to('cat@example.org')).toHaveLength(before);
  });
});

describe('a message the SMTP server refuses every time', () => {
  it('is given up after NOTIFICATION_MAX_ATTEMPTS tries: an error in the log naming it (not its recipient), and counted in /metrics', async () => {
    const lines: { level: number; msg?: string }[] = [];
    const still = { at: Date.now(), now: () => still.at };
    const node = await startApi(
      { ...env(), NOTIFICATION_MAX_ATTEMPTS: '2', LOG_LEVEL: 'warn' },
      { authClock: still, logDestination: { write: (line: string) => void lines.push(JSON.parse(line)) } },
    );
    inbox.refuse = true;
    try {
      const author = 'TH-910101';
      const fund = await votingFund(node, [author], { until: 'review', emails: { [author]: 'zoe@example.org' } });
      ok(
        await node.gql(
          `mutation($id: ID!) { acceptProposal(proposalId: $id, officialCost: "1000") { position } }`,
          { id: fund.proposals[0] },
          fund.reviewer,
        ),
      );
      const drain = async () => {
        await node.app.get(NotificationReactor).caughtUp();
        await node.app.get(NotificationWorker).settled();
      };
      const givenUp = async () => {
        const metrics = await (await fetch(`${node.url}/metrics`)).text();
        return Number(/^civic_notifications_given_up_total\{kind="proposal-accepted"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
      };
      await drain(); // the first try, refused: due again in 5 s
      const errors = () => lines.filter((l) => l.level >= 50 && /notification/.test(l.msg ?? ''));
      expect(errors()).toHaveLength(0);
      expect(lines.some((l) => l.level === 40 && /notification \d+ \(proposal-accepted\) not sent \(try 1\)/.test(l.msg ?? ''))).toBe(true);
      expect(await givenUp()).toBe(0);
      still.at += 5_000;
      await drain(); // the second and last
      expect(errors().map((l) => l.msg)).toEqual([expect.stringMatching(/^notification \d+ \(proposal-accepted\) given up after 2 tries/)]);
      expect(await givenUp()).toBe(1);
      expect(JSON.stringify(lines)).not.toMatch(/zoe@example\.org|TH-910101/i);
      still.at += 3600_000;
      await drain();
      expect(await givenUp()).toBe(1); // never tried again
      expect(inbox.to('zoe@example.org')).toHaveLength(0);
    } finally {
      inbox.refuse = false;
      await node.stop();
    }
  });
});
