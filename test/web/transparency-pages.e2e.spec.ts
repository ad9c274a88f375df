import { loadPublicKey, verifyResultsCertificate } from '@civic/audit';
import type { AuditTrail } from '../../apps/api/src/audit-log/audit-trail';
import { AUDIT_TRAIL } from '../../apps/api/src/tokens';
import { ok, votingFund, type VotingFund } from '../support/voting-fund';
import { startWeb, WebClient } from './web-client';

/**
 * A fund that publishes its ballots unlinked, through the pages without JavaScript: the board
 * says nothing before publication, then lists the counted receipts apart from the marks; the
 * files and the certificate follow the choice; the open data feed holds nothing of a tally
 * before publication. The linked board is walked in the browser (transparency.browser.spec.ts).
 */
let api: Awaited<ReturnType<typeof startWeb>>;
let web: WebClient;
let f: VotingFund;
const [A, B, C] = ['TH-520001', 'TH-520002', 'TH-520003'];
const receipts: { hash: string; code: string }[] = [];
let board: string;

const CAST = `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { hash code } }`;

beforeAll(async () => {
  api = await startWeb();
  web = new WebClient(api.url);
  f = await votingFund(api, [A, B, C], { publication: 'unlinked' });
  board = `/funds/${f.fundId}/pots/${f.potId}`;
  for (const [who, picks] of [
    [A, [0, 1]],
    [B, [1]],
    [C, [1, 2]],
  ] as const)
    receipts.push(
      ok(await api.gql(CAST, { f: f.fundId, p: f.potId, c: { proposalIds: picks.map((i) => f.proposals[i]) } }, f.tokens[who])).castBallot,
    );
}, 120_000);
afterAll(() => api?.stop());

describe('a fund that publishes receipts and marks unlinked', () => {
  it('refuses to change the choice once voting has opened', async () => {
    const answer = await api.gql(
      `mutation($f: ID!) { chooseBallotPublication(fundId: $f, publication: linked) { position } }`,
      { f: f.fundId },
      f.admin,
    );
    expect(answer.errors?.[0].extensions.code).toBe('FUND.RULES_FROZEN');
  });

  it('shows no mark and no tally before publication, on the board, in its files or in the open data', async () => {
    const page = await web.get(`${board}/board`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('The bulletin board opens when the results of this pot are published');
    expect(page.text).not.toContain(receipts[0].hash);
    expect((await web.get(`${board}/board.csv`)).status).toBe(404);
    expect((await web.get(`${board}/certificate.json`)).status).toBe(404);
    const tallies = JSON.parse((await web.get('/open-data/tallies.json')).text);
    expect(tallies.records.filter((r: { pot_id: string }) => r.pot_id === f.potId)).toEqual([]);
    const results = JSON.parse((await web.get('/open-data/results.json')).text);
    expect(results.records.filter((r: { pot_id: string }) => r.pot_id === f.potId)).toEqual([]);
  });

  it('after publication lists the counted receipts apart from the marks, and finds a receipt by its code', async () => {
    ok(await api.gql(`mutation($id: ID!) { closeVotingEarly(fundId: $id, reason: "Test") { position } }`, { id: f.fundId }, f.admin));
    const pot = { f: f.fundId, p: f.potId };
    ok(await api.gql(`mutation($f: ID!, $p: ID!) { computeAllocation(fundId: $f, potId: $p) { status } }`, pot, f.admin));
    ok(await api.gql(`mutation($f: ID!, $p: ID!) { ratifyAllocation(fundId: $f, potId: $p) { status } }`, pot, f.councillor));
    ok(await api.gql(`mutation($f: ID!, $p: ID!) { publishAllocation(fundId: $f, potId: $p) { status } }`, pot, f.councillor));
    ok(await api.gql(`mutation($id: ID!) { publishResults(fundId: $id) { position } }`, { id: f.fundId }, f.councillor));
    await api.app.get<AuditTrail>(AUDIT_TRAIL).checkpointer.checkpointNow();

    const page = await web.get(`${board}/board`);
    expect(page.text).toContain('This fund publishes receipts and choices apart');
    for (const r of receipts) expect(page.text).toContain(r.hash);
    expect(page.text).toContain('What the counted ballots chose');

    const found = await web.get(`${board}/board?receipt=${encodeURIComponent(receipts[1].code)}`);
    expect(found.text).toContain('Your receipt is on the board: your ballot counted');
    expect(found.text).toContain('your receipt does not show it');
    expect(found.text).toContain(receipts[1].hash);
    expect(found.text).not.toContain(receipts[0].hash);
    const missing = await web.get(`${board}/board?receipt=${'ab'.repeat(32)}`);
    expect(missing.text).toContain('No counted ballot has this receipt');
    const bad = await web.get(`${board}/board?receipt=not-a-code`);
    expect(bad.text).toContain('govuk-error-summary');
    expect(bad.text).toContain('Enter the code on your receipt');
  });

  it('keeps receipts out of the marks in every file, and certifies the unlinked ballots', async () => {
    const csv = (await web.get(`${board}/board.csv`)).text;
    const pabulib = (await web.get(`${board}/board.pb`)).text;
    const listed = (await web.get(`${board}/receipts.csv`)).text;
    for (const r of receipts) {
      expect(csv + pabulib).not.toContain(r.hash);
      expect(listed).toContain(r.hash);
    }
    expect(csv.split('\n')).toContain(`2,${f.proposals[1]},1`);
    const file = await web.get(`${board}/certificate.json`);
    expect(file.headers.get('content-type')).toContain('application/json');
    const key = ok(await api.gql(`{ auditKey { publicKeyPem } }`)).auditKey.publicKeyPem;
    expect(verifyResultsCertificate(file.text, loadPublicKey(key))).toMatchObject({ ok: true, potId: f.potId, ballots: 3 });
    const { certificate } = JSON.parse(file.text);
    expect(certificate).toMatchObject({ publication: 'unlinked', countedReceipts: receipts.map((r) => r.hash).sort() });
    expect(certificate.pabulib.text).toBe(pabulib);
  });

  it('publishes the result, tally and proposals as open data, JSON and CSV, under the Open Government Licence', async () => {
    const results = JSON.parse((await web.get('/open-data/results.json')).text);
    expect(results).toMatchObject({
      format: 'civic-ledger/open-data/1',
      dataset: 'results',
      licence: { name: 'Open Government Licence v3.0' },
    });
    const lines = results.records.filter((r: { pot_id: string }) => r.pot_id === f.potId);
    expect(lines).toHaveLength(3);
    expect(lines.find((r: { proposal_id: string }) => r.proposal_id === f.proposals[1])).toMatchObject({
      fund_id: f.fundId,
      funded: true,
      amount_pence: 1_000_000,
      ballot_count: 3,
    });
    const tallies = (await web.get('/open-data/tallies.csv')).text.split('\r\n');
    expect(tallies[0]).toBe('fund_id,pot_id,proposal_id,proposal_number,supporters,points,pot_ballots');
    expect(tallies.find((l) => l.includes(f.proposals[1]))).toMatch(/,3,3,3$/);
    const proposals = JSON.parse((await web.get('/open-data/proposals.json')).text);
    expect(proposals.fields).toContain('official_cost_pence');
    expect((await web.get('/open-data/nothing.json')).status).toBe(404);
    const index = await web.get('/open-data');
    expect(index.text).toContain('Open Government Licence v3.0');
    expect(index.text).toContain('amount_pence');
  });
});
