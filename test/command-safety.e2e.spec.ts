import { randomUUID } from 'node:crypto';
import { EVENT_STORE } from '../apps/api/src/tokens';
import type { EventStore } from '@civic/event-store';
import { openSchedule, startApi, type Gql } from './support/api-client';
import { ok, votingFund, type VotingFund } from './support/voting-fund';

/**
 * Commands over HTTP that must be safe to send again, safe to send at the same moment as
 * another, and safe to send several in one document; and proposals only from the register.
 */
let api: Awaited<ReturnType<typeof startApi>>;
let open: VotingFund; // proposals open
let voting: VotingFund; // voting open
const residents = ['TH-500001', 'TH-500002'];

beforeAll(async () => {
  api = await startApi();
  open = await votingFund(api, residents, { until: 'proposals_open' });
  voting = await votingFund(api, ['TH-500003'], {});
});

afterAll(() => api.stop());

const count = async (type: string) =>
  (await api.app.get<EventStore>(EVENT_STORE).readAll({ maxCount: 100_000, filter: { eventTypes: [type] } })).length;

const CREATE_FUND = `mutation($i: CreateFundInput!, $c: ID) { createFund(input: $i, commandId: $c) { position fund { id revision } } }`;
const ADD_POT = `mutation($i: AddPotInput!, $c: ID) { addPot(input: $i, commandId: $c) { position fund { id pots { id } } } }`;
const SUBMIT = `mutation($i: SubmitProposalInput!, $c: ID) { submitProposal(input: $i, commandId: $c) { position proposal { id revision title } } }`;
const ENTER_BATCH = `mutation($i: PaperBatchInput!, $c: ID) { enterPaperBatch(input: $i, commandId: $c) { batchId position entries { entryNo recorded code } } }`;
/** A batch of one paper ballot for the voting fund's first proposal. */
const paperBatch = (location: string, reference: string) => ({
  fundId: voting.fundId,
  potId: voting.potId,
  officer: 'officer-1',
  location,
  collectedAt: new Date().toISOString(),
  scanReference: 'SCAN-9',
  entries: [{ reference, content: { proposalIds: [voting.proposals[0]] } }],
});
const proposal = (title: string) => ({
  fundId: open.fundId,
  potId: open.potId,
  title,
  summary: title,
  description: title,
  category: 'parks',
  estimatedCost: '100000',
});

describe('a retry of a command whose record the server names', () => {
  it.each([
    [
      'createFund',
      CREATE_FUND,
      () => ({ i: { name: 'Retried fund', description: 'Sent twice.', schedule: openSchedule() } }),
      () => open.admin,
      'FundCreated',
    ],
    [
      'addPot',
      ADD_POT,
      (ward: string) => ({
        i: { fundId: open.fundId, name: `Pot of ${ward}`, ward, budget: '100000', rule: 'greedy_by_votes', ballot: { kind: 'knapsack' } },
      }),
      () => open.admin,
      'PotAdded',
    ],
    ['submitProposal', SUBMIT, () => ({ i: proposal('Retried proposal') }), () => open.tokens[residents[0]], 'ProposalSubmitted'],
    ['enterPaperBatch', ENTER_BATCH, () => ({ i: paperBatch('Idea Store Bow', 'TH-500003') }), () => voting.reviewer, 'PaperBatchRecorded'],
  ] as [string, string, (ward: string) => Record<string, unknown>, () => string, string][])(
    '%s without an id, sent again with the same commandId, answers exactly as the first call and writes nothing',
    async (name, mutation, vars, token, eventType) => {
      const commandId = randomUUID();
      const before = await count(eventType);
      const first = ok(await api.gql(mutation, { ...vars('Bow'), c: commandId }, token()))[name];
      const again = await api.gql(mutation, { ...vars('Bow'), c: commandId }, token());
      expect(again.errors).toBeUndefined();
      expect(again.data[name]).toEqual(first);
      expect(typeof first.position).toBe('string');
      expect(await count(eventType)).toBe(before + 1);
      // A new command is a new record.
      const other = ok(await api.gql(mutation, { ...vars('Poplar'), c: randomUUID() }, token()))[name];
      expect(other).not.toEqual(first);
    },
  );
});

describe('an edit of what the client read, with another landing in between', () => {
  const EDIT = `mutation($p: ID!, $ch: EditProposalInput!, $rev: Int, $c: ID) {
    editProposal(proposalId: $p, changes: $ch, expectedRevision: $rev, commandId: $c) { proposal { revision } } }`;
  const RESCHEDULE = `mutation($f: ID!, $s: ScheduleInput!, $rev: Int, $c: ID) {
    rescheduleFund(fundId: $f, schedule: $s, expectedRevision: $rev, commandId: $c) { fund { revision } } }`;
  const CHANGE_RULES = `mutation($f: ID!, $p: ID!, $b: Pence!, $rev: Int, $c: ID) {
    changePotRules(fundId: $f, potId: $p, rules: { budget: $b, rule: greedy_by_votes, ballot: { kind: knapsack } }, expectedRevision: $rev, commandId: $c) { fund { revision } } }`;
  const CORRECT_BATCH = `mutation($b: ID!, $l: String!, $rev: Int, $c: ID) {
    correctPaperBatch(batchId: $b, corrections: { location: $l }, reason: "Wrong branch", expectedRevision: $rev, commandId: $c) { batch { revision } } }`;

  /**
   * Sends edit B and holds its append (B has loaded the record and decided by then) until edit
   * A, of the same revision, has landed; then lets B go on. The forced interleaving of two
   * clients editing what they both read.
   */
  const race = async (b: (commandId: string) => Promise<Gql>, a: () => Promise<Gql>) => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const held = randomUUID();
    const append = store.append.bind(store);
    let reached!: () => void;
    let release!: () => void;
    const atAppend = new Promise<void>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const spy = jest.spyOn(store, 'append').mockImplementation(async (...args) => {
      if (args[1].some((e) => e.metadata?.commandId === held)) {
        reached();
        await released;
      }
      return append(...args);
    });
    try {
      const second = b(held);
      await atAppend;
      const first = await a();
      release();
      return { first, second: await second };
    } finally {
      spy.mockRestore();
    }
  };

  const draftFund = async () => {
    const fund = ok(
      await api.gql(CREATE_FUND, { i: { name: 'Raced fund', description: 'Edited twice.', schedule: openSchedule() } }, open.admin),
    ).createFund.fund;
    const i = { fundId: fund.id, name: 'Borough', budget: '100000', rule: 'greedy_by_votes', ballot: { kind: 'knapsack' } };
    const potId = ok(await api.gql(ADD_POT, { i }, open.admin)).addPot.fund.pots[0].id as string;
    return { fundId: fund.id as string, potId };
  };

  it('editProposal loses no edit: the one held between its load and its append is refused as stale, the other stays', async () => {
    const author = open.tokens[residents[0]];
    const id = ok(await api.gql(SUBMIT, { i: proposal('Pond') }, author)).submitProposal.proposal.id as string;
    const { first, second } = await race(
      (c) => api.gql(EDIT, { p: id, ch: { title: 'Pond B' }, rev: 0, c }, author),
      () => api.gql(EDIT, { p: id, ch: { summary: 'Summary A' }, rev: 0 }, author),
    );
    expect(ok(first).editProposal.proposal.revision).toBe(1);
    expect(second.errors?.[0].extensions.code).toBe('EDIT.STALE_REVISION');
    const now = ok(await api.gql(`query($p: ID!) { proposal(id: $p) { revision title summary } }`, { p: id })).proposal;
    expect(now).toEqual({ revision: 1, title: 'Pond', summary: 'Summary A' });
  });

  it('rescheduleFund loses no edit', async () => {
    const { fundId } = await draftFund();
    const revision = ok(await api.gql(`query($f: ID!) { fund(id: $f) { revision } }`, { f: fundId })).fund.revision as number;
    const [b, a] = [openSchedule(20), openSchedule(30)];
    const { first, second } = await race(
      (c) => api.gql(RESCHEDULE, { f: fundId, s: b, rev: revision, c }, open.admin),
      () => api.gql(RESCHEDULE, { f: fundId, s: a, rev: revision }, open.admin),
    );
    expect(ok(first).rescheduleFund.fund.revision).toBe(revision + 1);
    expect(second.errors?.[0].extensions.code).toBe('EDIT.STALE_REVISION');
    const now = ok(await api.gql(`query($f: ID!) { fund(id: $f) { revision schedule { votingClosesAt } } }`, { f: fundId })).fund;
    expect(now).toEqual({ revision: revision + 1, schedule: { votingClosesAt: new Date(a.votingClosesAt).toISOString() } });
  });

  it('changePotRules loses no edit', async () => {
    const { fundId, potId } = await draftFund();
    const revision = ok(await api.gql(`query($f: ID!) { fund(id: $f) { revision } }`, { f: fundId })).fund.revision as number;
    const { first, second } = await race(
      (c) => api.gql(CHANGE_RULES, { f: fundId, p: potId, b: '111100', rev: revision, c }, open.admin),
      () => api.gql(CHANGE_RULES, { f: fundId, p: potId, b: '222200', rev: revision }, open.admin),
    );
    expect(ok(first).changePotRules.fund.revision).toBe(revision + 1);
    expect(second.errors?.[0].extensions.code).toBe('EDIT.STALE_REVISION');
    const now = ok(await api.gql(`query($f: ID!) { fund(id: $f) { revision pots { budget } } }`, { f: fundId })).fund;
    expect(now).toEqual({ revision: revision + 1, pots: [{ budget: '222200' }] });
  });

  it('correctPaperBatch loses no edit', async () => {
    const i = paperBatch('Idea Store Poplar', 'TH-599998');
    const batchId = ok(await api.gql(ENTER_BATCH, { i }, voting.reviewer)).enterPaperBatch.batchId as string;
    const READ = `query($b: ID!) { paperBatch(batchId: $b) { revision location corrections } }`;
    // The revision as read: the batch's stream also holds the reason its one form was refused (not on the register).
    const rev = ok(await api.gql(READ, { b: batchId }, voting.reviewer)).paperBatch.revision as number;
    const { first, second } = await race(
      (c) => api.gql(CORRECT_BATCH, { b: batchId, l: 'Idea Store B', rev, c }, voting.reviewer),
      () => api.gql(CORRECT_BATCH, { b: batchId, l: 'Idea Store A', rev }, voting.reviewer),
    );
    expect(ok(first).correctPaperBatch.batch.revision).toBe(rev + 1);
    expect(second.errors?.[0].extensions.code).toBe('EDIT.STALE_REVISION');
    const now = ok(await api.gql(READ, { b: batchId }, voting.reviewer));
    expect(now.paperBatch).toEqual({ revision: rev + 1, location: 'Idea Store A', corrections: 1 });
  });
});

describe('several mutations in one document', () => {
  const CAST = `castBallot(fundId: $f, potId: $p, content: { proposalIds: [$x] }) { position hash }`;

  it('answers each field with its own result or error: the 2nd of 3 fails, the 1st and 3rd keep their receipts', async () => {
    const fresh = await votingFund(api, ['TH-500004'], {});
    const token = fresh.tokens['TH-500004'];
    const document = `mutation($f: ID!, $p: ID!, $x: ID!, $y: ID!) {
      first: ${CAST}
      second: ${CAST}
      third: replaceBallot(fundId: $f, potId: $p, content: { proposalIds: [$y] }) { position hash }
    }`;
    const r = await api.gql(document, { f: fresh.fundId, p: fresh.potId, x: fresh.proposals[0], y: fresh.proposals[1] }, token);
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0]).toMatchObject({ path: ['second'], extensions: { code: 'BALLOT.ALREADY_CAST' } });
    expect(r.data.first).toMatchObject({ position: expect.any(String), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(r.data.second).toBeNull();
    expect(r.data.third).toMatchObject({ position: expect.any(String), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(r.data.third.hash).not.toBe(r.data.first.hash);
    // Both were stored: the ballot is the replacement, the first cast still in its history.
    const mine = await api.gql(
      `query($f: ID!, $p: ID!) { myBallot(fundId: $f, potId: $p) { proposalIds receipt { hash } } }`,
      { f: fresh.fundId, p: fresh.potId },
      token,
    );
    expect(mine.data.myBallot).toEqual({ proposalIds: [fresh.proposals[1]], receipt: { hash: r.data.third.hash } });
  });

  it('has every mutation of the schema answer null, not the whole document, when it fails', async () => {
    const schema = ok(await api.gql(`{ __schema { mutationType { fields { name type { kind } } } } }`));
    const fields = schema.__schema.mutationType.fields as { name: string; type: { kind: string } }[];
    expect(fields.length).toBeGreaterThan(30);
    expect(fields.filter((f) => f.type.kind === 'NON_NULL').map((f) => f.name)).toEqual([]);
  });
});

describe('proposals come from the register', () => {
  it('refuses a signed-in subject who is not on the register, with PROPOSAL.NOT_ELIGIBLE, and writes nothing', async () => {
    const stranger = await api.signIn('resident', 'TH-599999');
    const before = await count('ProposalSubmitted');
    const refused = await api.gql(SUBMIT, { i: proposal('Not on the register') }, stranger);
    expect(refused.errors?.[0].extensions.code).toBe('PROPOSAL.NOT_ELIGIBLE');
    expect(refused.data).toEqual({ submitProposal: null });
    expect(await count('ProposalSubmitted')).toBe(before);
    expect(ok(await api.gql(SUBMIT, { i: proposal('On the register') }, open.tokens[residents[1]])).submitProposal.proposal.title).toBe(
      'On the register',
    );
  });
});
