import { startApi } from './support/api-client';
import { ok, votingFund, type VotingFund } from './support/voting-fund';

let api: Awaited<ReturnType<typeof startApi>>;
let f: VotingFund;
let batchId: string;
const voters = ['TH-300001', 'TH-300002'];

const BATCH_FIELDS = 'batchId fundId potId officer location collectedAt scanReference entryCount corrections revision position';
const CORRECT_BATCH = `mutation($b: ID!, $c: PaperBatchCorrectionInput!, $r: String!, $rev: Int) {
  correctPaperBatch(batchId: $b, corrections: $c, reason: $r, expectedRevision: $rev) { position batch { ${BATCH_FIELDS} } } }`;
const CORRECT_BALLOT = `mutation($b: ID!, $n: Int!, $ref: String!, $c: BallotContentInput!, $r: String!, $cid: ID) {
  correctPaperBallot(batchId: $b, entryNo: $n, reference: $ref, content: $c, reason: $r, commandId: $cid) { position hash } }`;
const tally = () =>
  api
    .gql(`query($p: ID!) { tally(potId: $p) { ballots paperBallots lines { proposalId supporters } } }`, { p: f.potId }, f.reviewer)
    .then((r) => ok(r).tally);
const supporters = (t: { lines: { proposalId: string; supporters: number }[] }, id: string) =>
  t.lines.find((l) => l.proposalId === id)?.supporters ?? 0;

/** The ballot events of the history, as an auditor reads them (the audit trail's checkpoints come and go in between). */
const ballotEvents = async () =>
  ok(await api.gql(`{ auditLog(first: 500, streamCategory: "ballot") { events { position type } } }`, {}, auditor)).auditLog.events as {
    position: string;
  }[];
let auditor: string;

beforeAll(async () => {
  api = await startApi();
  auditor = await api.signIn('auditor', 'auditor-1');
  f = await votingFund(api, voters);
  const entered = await api.gql(
    `mutation($i: PaperBatchInput!) { enterPaperBatch(input: $i) { batchId position entries { entryNo recorded code } } }`,
    {
      i: {
        fundId: f.fundId,
        potId: f.potId,
        officer: 'officer-1',
        location: 'Idea Store Whitechapel',
        collectedAt: new Date().toISOString(),
        scanReference: 'SCAN-1',
        entries: voters.map((reference) => ({ reference, content: { proposalIds: [f.proposals[0]] } })),
      },
    },
    f.reviewer,
  );
  const data = ok(entered).enterPaperBatch;
  expect(data.entries.map((e: { recorded: boolean }) => e.recorded)).toEqual([true, true]);
  const ballots = await ballotEvents();
  expect(data.position).toBe(ballots[ballots.length - 1].position);
  batchId = data.batchId;
});

afterAll(() => api.stop());

describe('paper corrections over GraphQL', () => {
  it('shows staff the batch as recorded', async () => {
    const read = ok(await api.gql(`query($b: ID!) { paperBatch(batchId: $b) { ${BATCH_FIELDS} } }`, { b: batchId }, f.reviewer));
    expect(read.paperBatch).toMatchObject({ batchId, location: 'Idea Store Whitechapel', entryCount: 2, corrections: 0, revision: 0 });
    const none = await api.gql(`{ paperBatch(batchId: "no-such-batch") { batchId } }`, {}, f.reviewer);
    expect(none.data.paperBatch).toBeNull();
  });

  it('corrects a batch’s header with a reason, refusing an edit of what changed since it was read', async () => {
    const corrected = await api.gql(
      CORRECT_BATCH,
      { b: batchId, c: { location: 'Idea Store Bow' }, r: 'Wrong branch', rev: 0 },
      f.reviewer,
    );
    const { position, batch } = ok(corrected).correctPaperBatch;
    expect(batch).toMatchObject({ location: 'Idea Store Bow', officer: 'officer-1', corrections: 1, revision: 1, position });
    expect(typeof position).toBe('string');
    const stale = await api.gql(CORRECT_BATCH, { b: batchId, c: { location: 'Idea Store Mile End' }, r: 'Again', rev: 0 }, f.reviewer);
    expect(stale.errors?.[0].extensions.code).toBe('EDIT.STALE_REVISION');
    const nothing = await api.gql(CORRECT_BATCH, { b: batchId, c: {}, r: 'Nothing' }, f.reviewer);
    expect(nothing.errors?.[0].extensions.code).toBe('PAPER_BATCH.INVALID');
  });

  it('corrects a mistyped entry: the tally follows, and a retry writes nothing more', async () => {
    const before = await tally();
    const commandId = '5d0c1a52-3a43-4d6b-9b36-7f2c3b7c0a11';
    const vars = { b: batchId, n: 1, ref: voters[0], c: { proposalIds: [f.proposals[1]] }, r: 'Mistyped', cid: commandId };
    const receipt = ok(await api.gql(CORRECT_BALLOT, vars, f.reviewer)).correctPaperBallot;
    expect(receipt).toEqual({ position: expect.any(String), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const after = await tally();
    expect(after.ballots).toBe(before.ballots);
    expect(supporters(after, f.proposals[0])).toBe(supporters(before, f.proposals[0]) - 1);
    expect(supporters(after, f.proposals[1])).toBe(supporters(before, f.proposals[1]) + 1);
    const written = await ballotEvents();
    expect(ok(await api.gql(CORRECT_BALLOT, vars, f.reviewer)).correctPaperBallot).toEqual(receipt);
    expect(await ballotEvents()).toEqual(written);
  });

  it.each([
    ['another voter’s entry', { n: 2, ref: voters[0] }, 'BALLOT.NOT_FROM_BATCH'],
    ['an entry beyond the batch', { n: 3 }, 'INPUT.INVALID'],
    ['an unknown batch', { b: 'no-such-batch' }, 'NOT_FOUND'],
    ['marks the pot does not take', { c: { points: [{ proposalId: 'x', points: 1 }] } }, 'INPUT.INVALID'],
  ])('refuses to correct %s', async (_what, change, code) => {
    const vars = { b: batchId, n: 1, ref: voters[0], c: { proposalIds: [f.proposals[2]] }, r: 'Mistyped', ...change };
    expect((await api.gql(CORRECT_BALLOT, vars, f.reviewer)).errors?.[0].extensions.code).toBe(code);
  });

  it('lets only reviewers and councillors correct, and staff read batches', async () => {
    const resident = f.tokens[voters[0]];
    const vars = { b: batchId, n: 1, ref: voters[0], c: { proposalIds: [f.proposals[2]] }, r: 'Mistyped' };
    const refused: [string | undefined, string][] = [
      [undefined, 'AUTH.UNAUTHENTICATED'],
      [resident, 'AUTH.FORBIDDEN'],
      [auditor, 'AUTH.FORBIDDEN'],
      [f.admin, 'AUTH.FORBIDDEN'],
    ];
    const READ = `query($b: ID!) { paperBatch(batchId: $b) { batchId } }`;
    for (const [token, code] of refused) {
      expect((await api.gql(CORRECT_BALLOT, vars, token)).errors?.[0].extensions.code).toBe(code);
      expect((await api.gql(CORRECT_BATCH, { b: batchId, c: { officer: 'x' }, r: 'r' }, token)).errors?.[0].extensions.code).toBe(code);
      if (token !== auditor && token !== f.admin)
        expect((await api.gql(READ, { b: batchId }, token)).errors?.[0].extensions.code).toBe(code);
    }
    const corrected = ok(await api.gql(CORRECT_BALLOT, vars, f.councillor)).correctPaperBallot;
    expect((await ballotEvents()).map((e) => e.position)).toContain(corrected.position);
    for (const token of [auditor, f.admin, f.reviewer, f.councillor])
      expect(ok(await api.gql(READ, { b: batchId }, token)).paperBatch.batchId).toBe(batchId);
  });
});
