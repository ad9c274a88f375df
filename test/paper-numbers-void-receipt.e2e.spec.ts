import { startApi } from './support/api-client';
import { ok, votingFund, type VotingFund } from './support/voting-fund';

/**
 * Over HTTP: a paper batch typed by the proposal numbers printed on its forms, with the sheets
 * counted and each refusal kept with its reason; and a ballot found and voided by its receipt,
 * so that an officer never handles a voter's pseudonym.
 */
let api: Awaited<ReturnType<typeof startApi>>;
let f: VotingFund;
let other: VotingFund;
let numbers: number[];
const [A, B, C, D] = ['TH-410001', 'TH-410002', 'TH-410003', 'TH-410004'];

const ENTER = `mutation($i: PaperBatchInput!) { enterPaperBatch(input: $i) { batchId entries { entryNo recorded code message } } }`;
const BATCH = `query($b: ID!) { paperBatch(batchId: $b) { sheetsCounted entryCount entries { entryNo status code message correctionReason } } }`;
const LOOKUP = `query($r: String!) { ballotByReceipt(receipt: $r) { fundId potId eventType recordedAt standing reason } }`;
const VOID = `mutation($f: ID!, $p: ID!, $r: String!, $receipt: String) { voidBallot(fundId: $f, potId: $p, reason: $r, receipt: $receipt) { position } }`;
const CAST = `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { hash code } }`;
const batch = (entries: unknown[], extra: Record<string, unknown> = {}) => ({
  i: {
    fundId: f.fundId,
    potId: f.potId,
    officer: 'officer-7',
    location: 'Idea Store Bow',
    collectedAt: new Date(Date.now() - 1000).toISOString(),
    scanReference: 'SCAN-41',
    entries,
    ...extra,
  },
});
const codeOf = (r: { errors?: { extensions: { code: string } }[] }) => r.errors?.[0]?.extensions.code;

beforeAll(async () => {
  api = await startApi();
  f = await votingFund(api, [A, B, C, D]);
  other = await votingFund(api, ['TH-410009']);
  const { proposals } = ok(
    await api.gql(
      `query($f: ID!, $p: ID!) { proposals(fundId: $f, potId: $p, first: 10, order: number) { edges { node { id number } } } }`,
      {
        f: f.fundId,
        p: f.potId,
      },
    ),
  );
  const byId = new Map(proposals.edges.map((e: { node: { id: string; number: number } }) => [e.node.id, e.node.number]));
  numbers = f.proposals.map((id) => byId.get(id) as number);
}, 120_000);
afterAll(() => api.stop());

describe('a paper batch typed by the numbers on its forms', () => {
  let batchId: string;

  it('records each form by its numbers, and refuses the form (not the batch) that names a number no proposal has', async () => {
    const entered = ok(
      await api.gql(
        ENTER,
        batch(
          [
            { reference: A, numbers: [numbers[0], numbers[1]] },
            { reference: B, numbers: [999] },
          ],
          { sheetsCounted: 3 },
        ),
        f.reviewer,
      ),
    ).enterPaperBatch;
    batchId = entered.batchId;
    expect(entered.entries).toEqual([
      { entryNo: 1, recorded: true, code: null, message: null },
      { entryNo: 2, recorded: false, code: 'BALLOT.UNKNOWN_NUMBER', message: 'No accepted proposal of this pot has number 999.' },
    ]);
  });

  it('keeps the sheets counted and each entry’s outcome with its reason, for the reconciliation', async () => {
    const read = ok(await api.gql(BATCH, { b: batchId }, f.councillor)).paperBatch;
    expect(read).toEqual({
      sheetsCounted: 3,
      entryCount: 2,
      entries: [
        { entryNo: 1, status: 'recorded', code: null, message: null, correctionReason: null },
        { entryNo: 2, status: 'refused', code: 'BALLOT.UNKNOWN_NUMBER', message: expect.stringContaining('999'), correctionReason: null },
      ],
    });
    const list = ok(
      await api.gql(
        `query($p: ID!) { paperBatches(potId: $p) { batchId sheetsCounted entryCount recorded refused } }`,
        { p: f.potId },
        f.admin,
      ),
    );
    expect(list.paperBatches).toEqual([{ batchId, sheetsCounted: 3, entryCount: 2, recorded: 1, refused: 1 }]);
  });

  it('shows a corrected entry as corrected, with its reason', async () => {
    ok(
      await api.gql(
        `mutation($b: ID!, $c: BallotContentInput!) { correctPaperBallot(batchId: $b, entryNo: 1, reference: "${A}", content: $c, reason: "Misread a 7 as a 1") { position } }`,
        { b: batchId, c: { proposalIds: [f.proposals[2]] } },
        f.reviewer,
      ),
    );
    const read = ok(await api.gql(BATCH, { b: batchId }, f.reviewer)).paperBatch;
    expect(read.entries[0]).toMatchObject({ status: 'corrected', correctionReason: 'Misread a 7 as a 1' });
  });

  it('refuses a form given both by ids and by numbers, and records nothing of its batch', async () => {
    const both = await api.gql(
      ENTER,
      batch([{ reference: C, numbers: [numbers[0]], content: { proposalIds: [f.proposals[0]] } }]),
      f.reviewer,
    );
    expect(codeOf(both)).toBe('INPUT.INVALID');
    const none = await api.gql(ENTER, batch([{ reference: C }]), f.reviewer);
    expect(codeOf(none)).toBe('INPUT.INVALID');
    const list = ok(await api.gql(`query($p: ID!) { paperBatches(potId: $p) { batchId } }`, { p: f.potId }, f.reviewer));
    expect(list.paperBatches).toHaveLength(1);
  });

  it('refuses a count of sheets that is not a whole number from 0', async () => {
    const r = await api.gql(ENTER, batch([{ reference: C, numbers: [numbers[0]] }], { sheetsCounted: -1 }), f.reviewer);
    expect(codeOf(r)).toBe('PAPER_BATCH.INVALID');
    expect(r.errors?.[0].extensions).toMatchObject({ field: 'sheetsCounted' });
  });
});

describe('a ballot found and voided by its receipt', () => {
  let receipt: { hash: string; code: string };

  beforeAll(async () => {
    receipt = ok(await api.gql(CAST, { f: f.fundId, p: f.potId, c: { proposalIds: [f.proposals[0]] } }, f.tokens[C])).castBallot;
  });

  it('tells staff the fund and pot of a receipt, as much of its standing as the embargo allows, and never the voter or the marks', async () => {
    for (const r of [receipt.hash, receipt.code]) {
      const found = ok(await api.gql(LOOKUP, { r }, f.reviewer)).ballotByReceipt;
      expect(found).toEqual({
        fundId: f.fundId,
        potId: f.potId,
        eventType: 'BallotCast',
        recordedAt: expect.any(String),
        standing: 'recorded',
        reason: null,
      });
    }
  });

  it('answers null for a receipt no ballot has, and refuses one that is not a receipt', async () => {
    expect(ok(await api.gql(LOOKUP, { r: 'ab'.repeat(32) }, f.reviewer)).ballotByReceipt).toBeNull();
    expect(codeOf(await api.gql(LOOKUP, { r: 'not a receipt' }, f.reviewer))).toBe('INPUT.INVALID');
  });

  it('refuses to void by a receipt of another pot', async () => {
    const r = await api.gql(VOID, { f: other.fundId, p: other.potId, r: 'Fraud', receipt: receipt.code }, other.reviewer);
    expect(codeOf(r)).toBe('BALLOT.NOT_FOUND');
  });

  it('voids the voter’s ballot found by its receipt, with a public reason, once', async () => {
    const before = ok(await api.gql(`query($p: ID!) { tally(potId: $p) { ballots } }`, { p: f.potId }, f.reviewer)).tally.ballots;
    ok(await api.gql(VOID, { f: f.fundId, p: f.potId, r: 'Cast under pressure (case 12)', receipt: receipt.code }, f.reviewer));
    const after = ok(await api.gql(`query($p: ID!) { tally(potId: $p) { ballots } }`, { p: f.potId }, f.reviewer)).tally.ballots;
    expect(after).toBe(before - 1);
    const log = ok(await api.gql(`query($p: ID!) { voidedBallots(potId: $p) { count ballots { reason } } }`, { p: f.potId })).voidedBallots;
    expect(log).toEqual({ count: 1, ballots: [{ reason: 'Cast under pressure (case 12)' }] });
    const again = await api.gql(VOID, { f: f.fundId, p: f.potId, r: 'Again', receipt: receipt.hash }, f.councillor);
    expect(codeOf(again)).toBe('BALLOT.VOIDED');
  });

  it('takes one way of naming the ballot: a receipt and a reference together are refused', async () => {
    const r = await api.gql(
      `mutation($f: ID!, $p: ID!) { voidBallot(fundId: $f, potId: $p, reason: "r", receipt: "${receipt.code}", reference: "${D}") { position } }`,
      { f: f.fundId, p: f.potId },
      f.reviewer,
    );
    expect(codeOf(r)).toBe('INPUT.INVALID');
  });
});
