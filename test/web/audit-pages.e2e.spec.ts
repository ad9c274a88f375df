import { startWeb, WebClient } from './web-client';
import { buildWebWorld, type WebWorld } from './web-world';

/**
 * The auditors' pages over HTTP, without JavaScript: the verification status, the audit log
 * (filters, paging, the embargo on ballot marks), the time slider (by position and by time,
 * bad input answered on the form) and the downloads, and who may open them.
 */
describe('auditors’ pages', () => {
  let api: Awaited<ReturnType<typeof startWeb>>;
  let world: WebWorld;
  let auditor: WebClient;

  const staff = async (role: string) => {
    const client = new WebClient(api.url);
    await client.get('/staff/sign-in');
    expect((await client.post('/staff/sign-in', { role, subject: `${role}-a`, back: '/staff' })).status).toBe(303);
    return client;
  };
  /** Every event of one stream, read as the API serves it. */
  const streamEvents = async (streamName: string) =>
    (await api.gql(`query($s: String!) { auditLog(streamName: $s, first: 500) { events { type position } } }`, { s: streamName })).data
      .auditLog.events as { type: string; position: string }[];

  beforeAll(async () => {
    api = await startWeb({ AUDIT_CHECKPOINT_INTERVAL: '20' });
    world = await buildWebWorld(api, 8);
    auditor = await staff('auditor');
  }, 120_000);
  afterAll(() => api?.stop());

  it('shows the last signed checkpoint, its checks passing, and the public key with its fingerprint', async () => {
    const key = (await api.gql(`{ auditKey { keyId publicKeyPem } auditStatus { checkpoint { eventCount sequence } } }`)).data;
    const res = await auditor.get('/audit');
    expect(res.status).toBe(200);
    expect(res.text).toContain(key.auditKey.keyId);
    expect(res.text).toContain('BEGIN PUBLIC KEY');
    expect(res.text).toMatch(/Fingerprint \(SHA-256\)[\s\S]*?([0-9a-f]{2}:){31}[0-9a-f]{2}/);
    if (key.auditStatus.checkpoint) {
      expect(res.text).toContain('The last checkpoint checks out');
      expect(res.text).not.toContain('govuk-tag--red');
      expect(res.text).toContain(`The first ${key.auditStatus.checkpoint.eventCount.toLocaleString('en-GB')} events`);
    } else expect(res.text).toContain('No checkpoint has been signed yet');
    const pem = await auditor.get('/audit/key.pem');
    expect(pem.status).toBe(200);
    expect(pem.headers.get('content-disposition')).toContain('audit-public-key.pem');
    expect(pem.text).toBe(key.auditKey.publicKeyPem);
  });

  it('the API checks the last checkpoint: signature, key, recomputed root and consistency with the one before', async () => {
    const { auditStatus } = (
      await api.gql(
        `{ auditStatus { checkpointCount historyEvents signatureValid keyMatches rootMatches consistentWithPrevious checkpoint { eventCount } } }`,
      )
    ).data;
    expect(auditStatus.checkpointCount).toBeGreaterThan(1);
    expect(auditStatus).toMatchObject({ signatureValid: true, keyMatches: true, rootMatches: true, consistentWithPrevious: true });
    expect(auditStatus.historyEvents).toBeGreaterThanOrEqual(auditStatus.checkpoint.eventCount);
  });

  it('browses the log in global order a page at a time, and filters it to one fund’s stream and to one event type', async () => {
    const first = await auditor.get('/audit/log');
    expect(first.status).toBe(200);
    expect(first.text).toContain('FundCreated');
    const next = /href="(\/audit\/log\?after=[^"]+)" rel="next"/.exec(first.text);
    expect(next).not.toBeNull();
    const second = await auditor.get(next![1].replace(/&amp;/g, '&'));
    expect(second.status).toBe(200);
    const positions = (html: string) => [...html.matchAll(/Position (\S+) ·/g)].map((m) => Number(m[1]));
    expect(positions(first.text)).toHaveLength(50);
    expect(Math.min(...positions(second.text))).toBeGreaterThan(Math.max(...positions(first.text)));

    const fundStream = `fund-${world.published.fundId}`;
    const one = await auditor.get(`/audit/log?category=fund&stream=${world.published.fundId}`);
    expect(one.status).toBe(200);
    const streams = [...one.text.matchAll(/· (\S+) \(revision/g)].map((m) => m[1]);
    expect(streams.length).toBe((await streamEvents(fundStream)).length);
    expect(new Set(streams)).toEqual(new Set([fundStream]));
    expect(one.text).toContain('VotingOpened');

    const typed = await auditor.get('/audit/log?type=ProposalAccepted');
    const types = [...typed.text.matchAll(/<h2 class="govuk-heading-s[^>]*>(\w+)/g)].map((m) => m[1]);
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set(['ProposalAccepted']));
  });

  it('withholds ballot marks of a fund whose results are not published from the roles the embargo withholds them from, page and download', async () => {
    // The embargo policy (libs/policy) lets auditors read every ballot under its pseudonym, to
    // check one ballot per voter before publication; the other staff roles who may open these
    // pages see an unpublished fund's ballots without their marks.
    const admin = await staff('administrator');
    const voter = await api.signIn('resident', world.residents[6]);
    const picked = world.voting.approval['Play street'];
    const cast = await api.gql(
      `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position } }`,
      { f: world.voting.fundId, p: world.voting.approvalPot, c: { proposalIds: [picked] } },
      voter,
    );
    expect(cast.errors).toBeUndefined();
    const open = await admin.get(`/audit/log?category=ballot&type=BallotCast`);
    expect(open.status).toBe(200);
    const entries = open.text.split('<li class="council-event">').slice(1);
    const ofVoting = entries.filter((e) => e.includes(`ballot-${world.voting.approvalPot}-`));
    expect(ofVoting).toHaveLength(1);
    expect(ofVoting[0]).toContain('Partly withheld');
    expect(ofVoting[0]).not.toContain(picked);
    // The published fund's ballots are readable, marks and all.
    const ofPublished = entries.filter((e) => e.includes(`ballot-${world.published.pot}-`));
    expect(ofPublished.length).toBe(6);
    expect(ofPublished.some((e) => e.includes(world.published.proposals['Community garden']))).toBe(true);
    // And the download withholds them the same way.
    const file = await admin.get(`/audit/export.jsonl?category=ballot&type=BallotCast`);
    const line = file.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((e) => e.streamName.startsWith(`ballot-${world.voting.approvalPot}-`));
    expect(line.redacted).toBe(true);
    expect(JSON.stringify(line)).not.toContain(picked);
    // The auditor, as the policy says, reads the marks.
    const audited = await auditor.get(`/audit/log?category=ballot&type=BallotCast`);
    expect(audited.text).toContain(picked);
  });

  it('refuses bad filters and a bogus cursor with a message on the form', async () => {
    const bad = await auditor.get('/audit/log?type=' + encodeURIComponent('<script>'));
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Enter an event type of letters');
    expect(bad.text).not.toContain('<script>');
    const cursor = await auditor.get(`/audit/log?category=fund&stream=${world.published.fundId}&after=nope`);
    expect(cursor.status).toBe(400);
    expect(cursor.text).toContain('govuk-error-summary');
  });

  it('shows a fund as it stood before voting opened (no tally), and now (the tally), by position and by time', async () => {
    const events = await streamEvents(`fund-${world.published.fundId}`);
    const review = events.find((e) => e.type === 'ReviewStarted')!;
    const before = await auditor.get(`/audit/time-travel?fund=${world.published.fundId}&position=${review.position}`);
    expect(before.status).toBe(200);
    expect(before.text).toContain('Proposals being reviewed');
    expect(before.text).toContain('No ballots had been counted in this pot then.');
    expect(before.text).not.toContain('ballots counted then');

    const head = (await api.gql(`{ auditStatus { historyEvents } }`)).data.auditStatus.historyEvents;
    const now = await auditor.get(`/audit/time-travel?fund=${world.published.fundId}&position=${head}`);
    expect(now.status).toBe(200);
    expect(now.text).toContain('Projects being delivered');
    expect(now.text).toMatch(/Mile End 2025: 6 ballots counted then/);
    expect(now.text).toMatch(/Community garden<\/th><td[^>]*>4</);

    const start = await auditor.get(`/audit/time-travel?fund=${world.published.fundId}&position=0`);
    expect(start.status).toBe(200);

    // By a time in the fund's zone, well after everything: the same as now.
    const later = await auditor.get(`/audit/time-travel?fund=${world.published.fundId}&at=2099-01-01T09:00`);
    expect(later.status).toBe(200);
    expect(later.text).toMatch(/Mile End 2025: 6 ballots counted then/);
  });

  it('answers a bogus position, a bad time, or both at once with a clear message and replays nothing', async () => {
    const bogus = await auditor.get(`/audit/time-travel?fund=${world.published.fundId}&position=99999999`);
    expect(bogus.status).toBe(400);
    expect(bogus.text).toContain('That position is not in the history');
    const junk = await auditor.get(`/audit/time-travel?fund=${world.published.fundId}&position=${encodeURIComponent('1; drop')}`);
    expect(junk.status).toBe(400);
    expect(junk.text).toContain('Enter a position');
    const time = await auditor.get(`/audit/time-travel?fund=${world.published.fundId}&at=yesterday`);
    expect(time.status).toBe(400);
    expect(time.text).toContain('Enter a date and time');
    const both = await auditor.get(`/audit/time-travel?fund=${world.published.fundId}&position=3&at=2026-01-01T09:00`);
    expect(both.status).toBe(400);
    expect(both.text).toContain('not both');
  });

  it('downloads the history as JSON lines, filtered, streamed, with the embargo applied', async () => {
    const res = await auditor.get(`/audit/export.jsonl?category=fund&stream=${world.published.fundId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const lines = res.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBe((await streamEvents(`fund-${world.published.fundId}`)).length);
    expect(lines[0]).toMatchObject({ type: 'FundCreated', streamName: `fund-${world.published.fundId}` });

    const whole = await auditor.get('/audit/export.jsonl');
    const all = whole.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const head = (await api.gql(`{ auditStatus { historyEvents } }`)).data.auditStatus.historyEvents;
    expect(all.length).toBeGreaterThanOrEqual(head);
  });

  it('downloads a published pot’s ballots as pabulib, and says why not for a pot not yet published', async () => {
    const pb = await auditor.get(`/audit/pots/${world.published.pot}/export.pb`);
    expect(pb.status).toBe(200);
    expect(pb.text).toMatch(/^META/);
    const early = await auditor.get(`/audit/pots/${world.voting.approvalPot}/export.pb`);
    expect(early.status).toBe(409);
    expect(early.text).toContain('not published yet');
  });

  it('lists the audit tasks on the staff home for an auditor, and refuses a resident with the 403 page', async () => {
    const home = await auditor.get('/staff');
    for (const href of ['/audit', '/audit/log', '/audit/time-travel']) expect(home.text).toContain(`href="${href}"`);
    const resident = new WebClient(api.url);
    await resident.signIn(world.residents[7]);
    for (const path of ['/audit', '/audit/log', '/audit/time-travel', '/audit/export.jsonl'])
      expect((await resident.get(path)).status).toBe(403);
    const anonymous = new WebClient(api.url);
    expect((await anonymous.get('/audit')).status).toBe(303);
  });

  it('is in Bengali for a Bengali reader', async () => {
    const bn = await auditor.get('/audit/time-travel', { 'accept-language': 'bn' });
    expect(bn.status).toBe(200);
    expect(bn.text).toContain('সময়ের স্লাইডার');
  });
});
