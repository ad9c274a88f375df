import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyReceiptProof, loadPublicKey } from '@civic/audit';
import type { AuditTrail } from '../apps/api/src/audit-log/audit-trail';
import { AUDIT_TRAIL } from '../apps/api/src/tokens';
import { cli } from '../apps/cli/src/audit/testing/cli';
import { RECEIPT_QUERY } from '../apps/cli/src/audit/shared/public-api';
import { startApi } from './support/api-client';
import { ok, votingFund, type VotingFund } from './support/voting-fund';

let api: Awaited<ReturnType<typeof startApi>>;
let f: VotingFund;
let publicKeyPem: string;
let keyFile: string;
const [A, B, C, D] = ['TH-510001', 'TH-510002', 'TH-510003', 'TH-510004'];
let batchId: string;
const receipts: Record<string, { position: string; hash: string; code: string }> = {};

const CAST = `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position hash code } }`;
const REPLACE = `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { replaceBallot(fundId: $f, potId: $p, content: $c) { position hash code } }`;
/** Anyone's lookup: no token. */
const lookup = (receipt: string) => api.gql(RECEIPT_QUERY, { r: receipt });
const checkpointNow = () => api.app.get<AuditTrail>(AUDIT_TRAIL).checkpointer.checkpointNow();

beforeAll(async () => {
  api = await startApi();
  f = await votingFund(api, [A, B, C, D]);
  publicKeyPem = ok(await api.gql(`{ auditKey { publicKeyPem } }`)).auditKey.publicKeyPem;
  keyFile = join(api.dir, 'audit-public.pem');
  writeFileSync(keyFile, publicKeyPem);
  const vote = async (query: string, who: string, proposal: number) =>
    ok(await api.gql(query, { f: f.fundId, p: f.potId, c: { proposalIds: [f.proposals[proposal]] } }, f.tokens[who]));
  receipts.first = (await vote(CAST, A, 0)).castBallot;
  receipts.replaced = (await vote(REPLACE, A, 1)).replaceBallot;
  receipts.b = (await vote(CAST, B, 1)).castBallot;
  receipts.c = (await vote(CAST, C, 2)).castBallot;
  const paper = {
    fundId: f.fundId,
    potId: f.potId,
    officer: 'officer-1',
    location: 'Idea Store Bow',
    collectedAt: new Date().toISOString(),
    scanReference: 'SCAN-7',
    entries: [{ reference: D, content: { proposalIds: [f.proposals[0]] } }],
  };
  batchId = ok(await api.gql(`mutation($i: PaperBatchInput!) { enterPaperBatch(input: $i) { batchId } }`, { i: paper }, f.reviewer))
    .enterPaperBatch.batchId;
}, 60_000);

afterAll(() => api.stop());

describe('receipts anyone can check', () => {
  it('finds a receipt by its code without sign-in: recorded, proof pending until a checkpoint covers it, then a proof that verifies', async () => {
    const pending = ok(await lookup(receipts.first.code)).receipt;
    expect(pending).toMatchObject({
      ...receipts.first,
      proofStatus: 'pending',
      proof: null,
      checkpoint: null,
      standing: { status: 'recorded', reason: null, potId: f.potId },
    });
    await checkpointNow();
    const included = ok(await lookup(receipts.first.hash)).receipt;
    expect(included).toMatchObject({ ...receipts.first, proofStatus: 'included' });
    expect(verifyReceiptProof(included, loadPublicKey(publicKeyPem), receipts.first.hash)).toMatchObject({
      ok: true,
      treeSize: included.checkpoint.eventCount,
    });
    // Voting is open: the replaced ballot's receipt says "recorded", nothing of the later ballot.
    expect(included.standing.status).toBe('recorded');
  });

  it('answers null for an event that is not in the log, and INPUT.INVALID for a mistyped code', async () => {
    expect(ok(await lookup('ab'.repeat(32))).receipt).toBeNull();
    const typo = receipts.first.code.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect((await lookup(typo)).errors?.[0].extensions.code).toBe('INPUT.INVALID');
  });

  it('verifies offline with the CLI, from the API or a saved answer, and fails an altered proof, a foreign event and another key', async () => {
    await checkpointNow();
    const fromApi = await cli(['audit', 'receipt', 'verify', receipts.b.code, '--public-key', keyFile, '--url', api.url]);
    expect(fromApi.code).toBe(0);
    expect(JSON.parse(fromApi.stdout)).toMatchObject({ ok: true, hash: receipts.b.hash, standing: { status: 'recorded' } });

    const saved = ok(await lookup(receipts.b.hash));
    const proofFile = join(api.dir, 'proof.json');
    writeFileSync(proofFile, JSON.stringify({ data: saved }));
    const offline = await cli(['audit', 'receipt', 'verify', receipts.b.hash, '--public-key', keyFile, '--proof', proofFile]);
    expect(offline.code).toBe(0);

    const altered = structuredClone(saved.receipt);
    altered.proof.auditPath[0] = altered.proof.auditPath[0].replace(/^./, (c: string) => (c === '0' ? '1' : '0'));
    writeFileSync(proofFile, JSON.stringify(altered));
    const bad = await cli(['audit', 'receipt', 'verify', receipts.b.hash, '--public-key', keyFile, '--proof', proofFile]);
    expect([bad.code, JSON.parse(bad.stdout).error.code]).toEqual([1, 'RECEIPT.PROOF_INVALID']);

    const missing = await cli(['audit', 'receipt', 'verify', 'cd'.repeat(32), '--public-key', keyFile, '--url', api.url]);
    expect([missing.code, JSON.parse(missing.stdout).error.code]).toEqual([1, 'RECEIPT.NOT_IN_LOG']);

    writeFileSync(proofFile, JSON.stringify(saved.receipt));
    const otherEvent = await cli(['audit', 'receipt', 'verify', receipts.c.hash, '--public-key', keyFile, '--proof', proofFile]);
    expect([otherEvent.code, JSON.parse(otherEvent.stdout).error.code]).toEqual([1, 'RECEIPT.PROOF_MISMATCH']);

    const otherKey = join(api.dir, 'other-public.pem');
    writeFileSync(otherKey, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const foreign = await cli(['audit', 'receipt', 'verify', receipts.b.code, '--public-key', otherKey, '--url', api.url]);
    expect([foreign.code, JSON.parse(foreign.stdout).error.code]).toEqual([1, 'RECEIPT.CHECKPOINT_KEY_MISMATCH']);
  }, 180_000);

  it('says "voting closed" after the close, and once results are published: counted, superseded, voided with its reason', async () => {
    // The void needs the pseudonym, which a reviewer has from the auditors' record, never from a receipt.
    const auditor = await api.signIn('auditor', 'auditor-1');
    const events = ok(await api.gql(`{ auditLog(first: 500, streamCategory: "ballot") { events { position streamName } } }`, {}, auditor))
      .auditLog.events as { position: string; streamName: string }[];
    const pseudonym = events
      .find((e) => e.position === receipts.c.position)!
      .streamName.split('-')
      .pop();
    ok(
      await api.gql(
        `mutation($f: ID!, $p: ID!, $v: String!) { voidBallot(fundId: $f, potId: $p, pseudonym: $v, reason: "Duplicate registration") { position } }`,
        { f: f.fundId, p: f.potId, v: pseudonym },
        f.reviewer,
      ),
    );
    expect(ok(await lookup(receipts.c.code)).receipt.standing.status).toBe('recorded');
    const pot = { f: f.fundId, p: f.potId };
    ok(
      await api.gql(
        `mutation($id: ID!) { closeVotingEarly(fundId: $id, reason: "The test's ballots are in") { position } }`,
        { id: f.fundId },
        f.admin,
      ),
    );
    expect(ok(await lookup(receipts.first.code)).receipt.standing.status).toBe('recorded_voting_closed');
    ok(await api.gql(`mutation($f: ID!, $p: ID!) { computeAllocation(fundId: $f, potId: $p) { status } }`, pot, f.admin));
    ok(await api.gql(`mutation($f: ID!, $p: ID!) { ratifyAllocation(fundId: $f, potId: $p) { status } }`, pot, f.councillor));
    ok(await api.gql(`mutation($f: ID!, $p: ID!) { publishAllocation(fundId: $f, potId: $p) { status } }`, pot, f.councillor));
    ok(await api.gql(`mutation($id: ID!) { publishResults(fundId: $id) { position } }`, { id: f.fundId }, f.councillor));
    const standing = async (r: keyof typeof receipts) => ok(await lookup(receipts[r].code)).receipt.standing;
    expect(await standing('first')).toEqual({ status: 'superseded', reason: null, potId: f.potId });
    expect(await standing('replaced')).toEqual({ status: 'counted', reason: null, potId: f.potId });
    expect(await standing('b')).toEqual({ status: 'counted', reason: null, potId: f.potId });
    expect(await standing('c')).toEqual({ status: 'voided', reason: 'Duplicate registration', potId: f.potId });
  }, 60_000);

  it('issues a signed results certificate once published, which the CLI re-runs offline; a changed amount fails', async () => {
    const file = ok(await api.gql(`query($p: ID!) { resultsCertificate(potId: $p) }`, { p: f.potId })).resultsCertificate as string;
    const { certificate } = JSON.parse(file);
    // The counted ballots are there by their receipts, the superseded and the voided ones are not; no pseudonym anywhere.
    expect(certificate.pabulib.text).toContain(receipts.replaced.hash);
    expect(certificate.pabulib.text).toContain(receipts.b.hash);
    expect(certificate.pabulib.text).not.toContain(receipts.first.hash);
    expect(certificate.pabulib.text).not.toContain(receipts.c.hash);
    expect(certificate).toMatchObject({
      potId: f.potId,
      ballots: { count: 3 },
      rule: { key: 'greedy_cost' },
      tieBreak: { kind: 'number' },
    });
    const path = join(api.dir, 'certificate.json');
    writeFileSync(path, file);
    const verified = await cli(['audit', 'certificate', 'verify', path, '--public-key', keyFile]);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, potId: f.potId, ballots: 3 });
    const changed = JSON.parse(file);
    changed.certificate.funded[0].amount += 1;
    writeFileSync(path, JSON.stringify(changed));
    const refused = await cli(['audit', 'certificate', 'verify', path, '--public-key', keyFile]);
    expect([refused.code, JSON.parse(refused.stdout).error.code]).toEqual([1, 'CERTIFICATE.SIGNATURE_INVALID']);
  }, 120_000);

  it('publishes the bulletin board: counted ballots by receipt hash, the voided one with its reason, the paper batch reconciled', async () => {
    const board = ok(
      await api.gql(
        `query($p: ID!) { bulletinBoard(potId: $p) { potId ballots { receipt proposalIds channel batchId } voided { receipt reason }
          paperBatches { batchId location entries counted corrections } pabulib csv } }`,
        { p: f.potId },
      ),
    ).bulletinBoard;
    const receiptsOnBoard = board.ballots.map((b: { receipt: string }) => b.receipt);
    expect(receiptsOnBoard).toEqual(expect.arrayContaining([receipts.replaced.hash, receipts.b.hash]));
    expect(receiptsOnBoard).toHaveLength(3);
    expect(receiptsOnBoard).not.toContain(receipts.first.hash);
    expect(board.ballots.find((b: { receipt: string }) => b.receipt === receipts.b.hash)).toEqual({
      receipt: receipts.b.hash,
      proposalIds: [f.proposals[1]],
      channel: 'online',
      batchId: null,
    });
    expect(board.ballots.filter((b: { channel: string }) => b.channel === 'paper')).toEqual([
      { receipt: expect.stringMatching(/^[0-9a-f]{64}$/), proposalIds: [f.proposals[0]], channel: 'paper', batchId },
    ]);
    expect(board.voided).toEqual([{ receipt: receipts.c.hash, reason: 'Duplicate registration' }]);
    expect(board.paperBatches).toEqual([{ batchId, location: 'Idea Store Bow', entries: 1, counted: 1, corrections: 0 }]);
    expect(board.csv.split('\n')).toContain(`${receipts.b.hash},${f.proposals[1]},1`);
    const { certificate } = JSON.parse(
      ok(await api.gql(`query($p: ID!) { resultsCertificate(potId: $p) }`, { p: f.potId })).resultsCertificate,
    );
    expect(board.pabulib).toBe(certificate.pabulib.text);
    // A page at a time, and one receipt found by its short code, by its hash's first digits, or not at all.
    const PAGE = `query($p: ID!, $first: Int, $offset: Int, $r: String) {
      bulletinBoard(potId: $p, first: $first, offset: $offset, receipt: $r) { publication ballotCount matching ballots { receipt } voided { receipt } } }`;
    const page = async (vars: Record<string, unknown>) => ok(await api.gql(PAGE, { p: f.potId, ...vars })).bulletinBoard;
    expect(await page({ first: 2, offset: 1 })).toMatchObject({
      publication: 'linked',
      ballotCount: 3,
      matching: 3,
      ballots: board.ballots.slice(1, 3).map((b: { receipt: string }) => ({ receipt: b.receipt })),
    });
    expect(await page({ r: receipts.b.code })).toMatchObject({ matching: 1, ballots: [{ receipt: receipts.b.hash }], voided: [] });
    expect(await page({ r: receipts.c.hash.slice(0, 12) })).toMatchObject({
      matching: 0,
      ballots: [],
      voided: [{ receipt: receipts.c.hash }],
    });
    for (const bad of [{ r: 'not a receipt' }, { first: 101 }, { offset: -1 }])
      expect((await api.gql(PAGE, { p: f.potId, ...bad })).errors?.[0].extensions.code).toBe('INPUT.INVALID');
    // No pseudonym in any public file: the ballot streams' last parts appear nowhere.
    const auditor = await api.signIn('auditor', 'auditor-1');
    const streams = ok(await api.gql(`{ auditLog(first: 500, streamCategory: "ballot") { events { streamName } } }`, {}, auditor)).auditLog
      .events;
    for (const { streamName } of streams)
      expect(JSON.stringify(board) + JSON.stringify(certificate)).not.toContain(streamName.split('-').pop());
  });

  it('issues no certificate and opens no bulletin board before publication', async () => {
    const other = await votingFund(api, ['TH-510009'], { until: 'review' });
    expect((await api.gql(`query($p: ID!) { resultsCertificate(potId: $p) }`, { p: other.potId })).errors?.[0].extensions.code).toBe(
      'AUTH.FORBIDDEN',
    );
    expect((await api.gql(`query($p: ID!) { bulletinBoard(potId: $p) { potId } }`, { p: other.potId })).errors?.[0].extensions.code).toBe(
      'AUTH.FORBIDDEN',
    );
  });
});
