import { openSchedule, startApi } from './support/api-client';

let api: Awaited<ReturnType<typeof startApi>>;
let admin: string;
let reviewer: string;
let fundId: string;
let potId: string;
let proposals: string[];
const residents = ['TH-100001', 'TH-100002', 'TH-100003', 'TH-100004'];
const tokens: Record<string, string> = {};

beforeAll(async () => {
  api = await startApi();
  admin = await api.signIn('administrator', 'admin-1');
  reviewer = await api.signIn('reviewer', 'officer-2');
  for (const r of residents) tokens[r] = await api.signIn('resident', r);
  const csv = [
    'reference,ward,date_of_birth',
    ...residents.map((r) => `${r},Bow East,1980-01-01`),
    'TH-9,Bow East,2020-01-01',
    'bad row',
  ].join('\n');
  const imported = await api.gql(`mutation($c: String!) { importRegister(csv: $c) { imported refused { line code } } }`, { c: csv }, admin);
  expect(imported.data.importRegister.imported).toBe(5);
  expect(imported.data.importRegister.refused).toEqual([{ line: 7, code: 'RESIDENT.INVALID_WARD' }]);
  fundId = (
    await api.gql(
      `mutation($i: CreateFundInput!) { createFund(input: $i) { fund { id } } }`,
      { i: { name: 'Fund', description: 'A fund.', schedule: openSchedule() } },
      admin,
    )
  ).data.createFund.fund.id;
  const pot = await api.gql(
    `mutation($i: AddPotInput!) { addPot(input: $i) { fund { pots { id } } } }`,
    {
      i: {
        fundId,
        name: 'Bow East',
        ward: 'Bow East',
        budget: '10000000',
        rule: 'greedy_by_votes',
        ballot: { kind: 'approval', minPicks: 1, maxPicks: 1 },
      },
    },
    admin,
  );
  potId = pot.data.addPot.fund.pots[0].id;
  await api.gql(`mutation($id: ID!) { openProposals(fundId: $id) { fund { phase } } }`, { id: fundId }, admin);
  proposals = [];
  for (const title of ['Garden', 'Lights', 'Bench']) {
    const p = await api.gql(
      `mutation($i: SubmitProposalInput!) { submitProposal(input: $i) { proposal { id } } }`,
      {
        i: { fundId, potId, title, summary: title, description: title, category: 'parks', estimatedCost: '1000000' },
      },
      tokens[residents[0]],
    );
    proposals.push(p.data.submitProposal.proposal.id);
  }
  await api.gql(`mutation($id: ID!) { startReview(fundId: $id) { fund { phase } } }`, { id: fundId }, admin);
  for (const id of proposals.slice(0, 2))
    await api.gql(
      `mutation($id: ID!) { acceptProposal(proposalId: $id, officialCost: "1000000") { proposal { status } } }`,
      { id },
      reviewer,
    );
  await api.gql(`mutation($id: ID!) { openVoting(fundId: $id) { fund { phase } } }`, { id: fundId }, admin);
});

afterAll(() => api.stop());

/** The stream of the event at a position, as an auditor reads it in the history. */
async function streamAt(position: string): Promise<string> {
  const auditor = await api.signIn('auditor', 'auditor-1');
  const page = await api.gql(`query { auditLog(first: 500) { events { position streamName } } }`, {}, auditor);
  return page.data.auditLog.events.find((e: { position: string }) => e.position === position).streamName;
}

const CAST = `mutation($f: ID!, $p: ID!, $c: BallotContentInput!, $cid: ID) { castBallot(fundId: $f, potId: $p, content: $c, commandId: $cid) { position hash code } }`;
const cast = (resident: string, proposalIds: string[], commandId?: string) =>
  api.gql(CAST, { f: fundId, p: potId, c: { proposalIds }, cid: commandId }, tokens[resident]);
const tally = (token?: string) =>
  api.gql(`query($p: ID!) { tally(potId: $p) { ballots lines { proposalId supporters } } }`, { p: potId }, token);

describe('ballots over GraphQL', () => {
  it('casts a ballot with a receipt that names no resident, and shows it to its voter only', async () => {
    const { data, errors } = await cast(residents[0], [proposals[0]]);
    expect(errors).toBeUndefined();
    expect(data.castBallot).toEqual({
      position: expect.any(String),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      code: expect.stringMatching(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}-[0-9A-Z]$/),
    });
    // Neither the reference nor the pseudonym (the ballot stream's last part) is in the receipt.
    const stream = await streamAt(data.castBallot.position);
    expect(stream).toMatch(new RegExp(`^ballot-${potId}-[0-9a-f]{64}$`));
    expect(JSON.stringify(data.castBallot)).not.toContain(residents[0]);
    expect(JSON.stringify(data.castBallot)).not.toContain(stream.split('-').pop());
    const mine = await api.gql(
      `query($f: ID!, $p: ID!) { myBallot(fundId: $f, potId: $p) { status proposalIds proposals { id title number } receipt { position hash code } } }`,
      { f: fundId, p: potId },
      tokens[residents[0]],
    );
    expect(mine.data.myBallot).toEqual({
      status: 'counted',
      proposalIds: [proposals[0]],
      // What the ballot names, by title and number: a confirmation shows it without listing the pot.
      proposals: [{ id: proposals[0], title: 'Garden', number: expect.any(Number) }],
      receipt: data.castBallot,
    });
    const other = await api.gql(
      `query($f: ID!, $p: ID!) { myBallot(fundId: $f, potId: $p) { status } }`,
      { f: fundId, p: potId },
      tokens[residents[1]],
    );
    expect(other.data.myBallot).toBeNull();
  });

  it('gives the receipt’s position and chain hash, the same when the cast is retried with its command id', async () => {
    const RECEIPT = `mutation($f: ID!, $p: ID!, $c: BallotContentInput!, $cid: ID) { castBallot(fundId: $f, potId: $p, content: $c, commandId: $cid) { position hash } }`;
    const voter = await api.signIn('resident', 'TH-9');
    const commandId = '5b0f6f1e-8d59-4a53-9b1c-6a0c0b6c7a11';
    const first = await api.gql(RECEIPT, { f: fundId, p: potId, c: { proposalIds: [proposals[0]] }, cid: commandId }, tokens[residents[1]]);
    expect(first.errors).toBeUndefined();
    const receipt = first.data.castBallot;
    expect(receipt).toEqual({
      position: expect.any(String),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const mine = await api.gql(
      `query($f: ID!, $p: ID!) { myBallot(fundId: $f, potId: $p) { receipt { position hash } } }`,
      { f: fundId, p: potId },
      tokens[residents[1]],
    );
    expect(mine.data.myBallot.receipt).toEqual(receipt);
    const retried = await api.gql(
      RECEIPT,
      { f: fundId, p: potId, c: { proposalIds: [proposals[0]] }, cid: commandId },
      tokens[residents[1]],
    );
    expect(retried.data.castBallot).toEqual(receipt);
    // Too young to vote (TH-9 was born in 2020): refused, nothing to read back.
    expect((await api.gql(RECEIPT, { f: fundId, p: potId, c: { proposalIds: [proposals[0]] } }, voter)).errors?.[0].extensions.code).toBe(
      'BALLOT.NOT_ELIGIBLE',
    );
    await api.gql(
      `mutation($f: ID!, $p: ID!) { withdrawBallot(fundId: $f, potId: $p) { position } }`,
      { f: fundId, p: potId },
      tokens[residents[1]],
    );
  });

  it('refuses invalid ballots with the domain’s codes and counts nothing for them', async () => {
    expect((await cast(residents[1], [proposals[2]])).errors?.[0].extensions.code).toBe('PROPOSAL.NOT_ACCEPTED');
    expect((await cast(residents[1], proposals.slice(0, 2))).errors?.[0].extensions.code).toBe('BALLOT.TOO_MANY_PICKS');
    expect((await cast(residents[1], [])).errors?.[0].extensions.code).toBe('BALLOT.TOO_FEW_PICKS');
    expect((await cast(residents[1], [proposals[0], proposals[0]])).errors?.[0].extensions.code).toBe('BALLOT.DUPLICATE_PICK');
    expect((await cast(residents[0], [proposals[1]])).errors?.[0].extensions.code).toBe('BALLOT.ALREADY_CAST');
    const outsider = await api.signIn('resident', 'NOT-ON-REGISTER');
    expect(
      (await api.gql(CAST, { f: fundId, p: potId, c: { proposalIds: [proposals[0]] } }, outsider)).errors?.[0].extensions.code,
    ).toMatch(/^(BALLOT\.NOT_ELIGIBLE|RESIDENT\.NOT_FOUND)$/);
    expect((await tally(reviewer)).data.tally.ballots).toBe(1);
  });

  it('leaves exactly one ballot when a resident sends 20 casts at once', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => cast(residents[2], [proposals[1]])));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of results.filter((r) => r.errors))
      expect(r.errors?.[0].extensions.code).toMatch(/^(BALLOT\.ALREADY_CAST|COMMAND\.CONFLICT)$/);
    expect((await tally(reviewer)).data.tally.ballots).toBe(2);
  });

  it('replaces and withdraws, the latest ballot counting in the tally', async () => {
    const cast3 = (await cast(residents[3], [proposals[0]])).data.castBallot;
    const replace = await api.gql(
      `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { replaceBallot(fundId: $f, potId: $p, content: $c) { position } }`,
      { f: fundId, p: potId, c: { proposalIds: [proposals[1]] } },
      tokens[residents[3]],
    );
    expect(await streamAt(replace.data.replaceBallot.position)).toBe(await streamAt(cast3.position));
    let lines = (await tally(reviewer)).data.tally.lines;
    expect(lines).toEqual(
      [
        { proposalId: proposals[1], supporters: 2 },
        { proposalId: proposals[0], supporters: 1 },
      ].sort((a, b) => b.supporters - a.supporters),
    );
    await api.gql(
      `mutation($f: ID!, $p: ID!) { withdrawBallot(fundId: $f, potId: $p) { position } }`,
      { f: fundId, p: potId },
      tokens[residents[3]],
    );
    const t = (await tally(reviewer)).data.tally;
    expect(t.ballots).toBe(2);
    lines = t.lines;
    expect(lines).toEqual(
      expect.arrayContaining([
        { proposalId: proposals[1], supporters: 1 },
        { proposalId: proposals[0], supporters: 1 },
      ]),
    );
  });

  it('hides the live tally from the public and residents, and shows aggregates to staff', async () => {
    expect((await tally()).errors?.[0].extensions.code).toBe('AUTH.FORBIDDEN');
    expect((await tally(tokens[residents[0]])).errors?.[0].extensions.code).toBe('AUTH.FORBIDDEN');
    expect((await tally(reviewer)).errors).toBeUndefined();
  });

  it('lets a reviewer void a ballot by its pseudonym, with a reason', async () => {
    const mine = await api.gql(
      `query($f: ID!, $p: ID!) { myBallot(fundId: $f, potId: $p) { receipt { position } } }`,
      { f: fundId, p: potId },
      tokens[residents[0]],
    );
    // The reviewer has the pseudonym from the auditors' record, never from a receipt.
    const pseudonym = (await streamAt(mine.data.myBallot.receipt.position)).split('-').pop();
    const voided = await api.gql(
      `mutation($f: ID!, $p: ID!, $v: String!) { voidBallot(fundId: $f, potId: $p, pseudonym: $v, reason: "Duplicate registration") { position } }`,
      { f: fundId, p: potId, v: pseudonym },
      reviewer,
    );
    expect(voided.errors).toBeUndefined();
    expect((await tally(reviewer)).data.tally.ballots).toBe(1);
    const asResident = await api.gql(
      `mutation($f: ID!, $p: ID!, $v: String!) { voidBallot(fundId: $f, potId: $p, pseudonym: $v, reason: "x") { position } }`,
      { f: fundId, p: potId, v: pseudonym },
      tokens[residents[1]],
    );
    expect(asResident.errors?.[0].extensions.code).toBe('AUTH.FORBIDDEN');
  });

  it('erases a resident’s personal data on request: their ballot still counts, and they cannot register or vote again', async () => {
    const before = (await tally(reviewer)).data.tally.ballots;
    const commandId = '6f1d2c9e-8a4b-4c3d-9e2f-1a2b3c4d5e6f';
    const cast1 = await cast(residents[1], [proposals[0]], commandId);
    expect(cast1.errors).toBeUndefined();
    const hash: string = cast1.data.castBallot.hash;
    const MINE = `query($f: ID!, $p: ID!) { myBallot(fundId: $f, potId: $p) { status receipt { hash } } }`;
    const mine = () => api.gql(MINE, { f: fundId, p: potId }, tokens[residents[1]]);
    expect((await mine()).data.myBallot.receipt.hash).toBe(hash);
    // The ballot's stream names the voter's pseudonym: what no answer may contain after erasure.
    const auditor = await api.signIn('auditor', 'auditor-erasure');
    const log = (await api.gql(`{ auditLog(first: 500) { events { streamName metadata } } }`, {}, auditor)).data.auditLog.events as {
      streamName: string;
      metadata: unknown;
    }[];
    const chainHash = (m: unknown) => ((typeof m === 'string' ? JSON.parse(m) : m) as { chain?: { hash?: string } }).chain?.hash;
    const stream = log.find((e) => chainHash(e.metadata) === hash)?.streamName ?? '';
    expect(stream).toMatch(/^ballot-.+-[0-9a-f]{64}$/);
    const erase = await api.gql(
      `mutation($r: String!) { eraseResident(reference: $r, reason: "Request 2027-114") { done } }`,
      { r: residents[1] },
      admin,
    );
    expect(erase.errors).toBeUndefined();
    expect((await tally(reviewer)).data.tally.ballots).toBe(before + 1);
    const again = await api.gql(
      `mutation($i: RegisterResidentInput!) { registerResident(input: $i) { done } }`,
      { i: { reference: residents[1].toLowerCase().replace('-', ' - '), dateOfBirth: '1980-01-01', ward: 'Bow East' } },
      admin,
    );
    expect(again.errors?.[0].extensions.code).toBe('RESIDENT.ERASED');
    const replace = await api.gql(
      `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { replaceBallot(fundId: $f, potId: $p, content: $c) { position } }`,
      { f: fundId, p: potId, c: { proposalIds: [proposals[1]] } },
      tokens[residents[1]],
    );
    expect(replace.errors?.[0].extensions.code).toBe('RESIDENT.ERASED');
    // Nothing served links the person to their ballot any more: not their own ballot, not a
    // withdrawal, not the receipt of a retried cast; the ballot still counts.
    const linkAttempts = [
      await mine(),
      await api.gql(
        `mutation($f: ID!, $p: ID!) { withdrawBallot(fundId: $f, potId: $p) { position hash } }`,
        { f: fundId, p: potId },
        tokens[residents[1]],
      ),
      await cast(residents[1], [proposals[0]], commandId),
    ];
    for (const answer of linkAttempts) {
      expect(answer.errors?.map((e) => e.extensions.code)).toEqual(['RESIDENT.ERASED']);
      expect(JSON.stringify(answer)).not.toContain(stream.split('-').pop());
    }
    expect((await tally(reviewer)).data.tally.ballots).toBe(before + 1);
    expect(
      (
        await api.gql(
          `mutation($r: String!) { eraseResident(reference: $r, reason: "x") { done } }`,
          { r: residents[2] },
          tokens[residents[2]],
        )
      ).errors?.[0].extensions.code,
    ).toBe('AUTH.FORBIDDEN');
  });

  it('gives the history to everyone as the embargo allows: pseudonyms only; marks to the auditor, withheld from others until results are published', async () => {
    const history = async (token?: string) => {
      const events: any[] = [];
      let after: string | null = null;
      do {
        const page: any = await api.gql(
          `query($a: String) { auditLog(after: $a, first: 50) { endCursor events { position streamName type data metadata redacted } } }`,
          { a: after },
          token,
        );
        expect(page.errors).toBeUndefined();
        events.push(...page.data.auditLog.events);
        after = page.data.auditLog.endCursor;
      } while (after);
      return events;
    };
    const auditor = await api.signIn('auditor', 'auditor-1');
    const [forAuditor, forReviewer, forPublic] = await Promise.all([history(auditor), history(reviewer), history()]);
    const casts = (events: any[]) => events.filter((e) => e.type === 'BallotCast');
    expect(casts(forAuditor).length).toBeGreaterThan(0);
    for (const e of casts(forAuditor)) expect(JSON.parse(e.data).content).toMatchObject({ kind: expect.any(String) });
    for (const events of [forReviewer, forPublic]) {
      expect(casts(events)).toHaveLength(casts(forAuditor).length);
      for (const e of casts(events)) {
        expect(e.redacted).toBe(true);
        expect(JSON.parse(e.data).content).toBe('withheld until results are published');
      }
    }
    const everything = JSON.stringify([forAuditor, forReviewer, forPublic]);
    for (const reference of residents) expect(everything).not.toContain(reference);
  });

  it('records a batch of paper ballots under the same rules as online ones, each entry marked as paper', async () => {
    const paperVoters = ['TH-100005', 'TH-100006', 'TH-100007'];
    await api.gql(
      `mutation($c: String!) { importRegister(csv: $c) { imported } }`,
      { c: ['reference,ward,date_of_birth', ...paperVoters.map((r) => `${r},Bow East,1970-02-02`)].join('\n') },
      admin,
    );
    const before = (await api.gql(`query($p: ID!) { tally(potId: $p) { ballots paperBallots } }`, { p: potId }, reviewer)).data.tally;
    const batch = await api.gql(
      `mutation($i: PaperBatchInput!) { enterPaperBatch(input: $i) { batchId entries { entryNo recorded code } } }`,
      {
        i: {
          fundId,
          potId,
          officer: 'officer-2',
          location: 'Idea Store Bow',
          collectedAt: new Date().toISOString(),
          scanReference: 'SCAN-2027-0042',
          entries: [
            { reference: paperVoters[0], content: { proposalIds: [proposals[0]] } },
            { reference: paperVoters[1], content: { proposalIds: [proposals[2]] } },
            { reference: 'NOT-ON-REGISTER', content: { proposalIds: [proposals[0]] } },
            { reference: paperVoters[2].toLowerCase(), content: { proposalIds: [proposals[1]] } },
          ],
        },
      },
      reviewer,
    );
    expect(batch.errors).toBeUndefined();
    expect(batch.data.enterPaperBatch.entries.map((e: any) => [e.entryNo, e.recorded, e.code])).toEqual([
      [1, true, null],
      [2, false, 'PROPOSAL.NOT_ACCEPTED'],
      [3, false, expect.stringMatching(/^(BALLOT\.NOT_ELIGIBLE|RESIDENT\.NOT_FOUND)$/)],
      [4, true, null],
    ]);
    const after = (await api.gql(`query($p: ID!) { tally(potId: $p) { ballots paperBallots } }`, { p: potId }, reviewer)).data.tally;
    expect(after).toEqual({ ballots: before.ballots + 2, paperBallots: before.paperBallots + 2 });
    const asResident = await api.gql(
      `mutation($i: PaperBatchInput!) { enterPaperBatch(input: $i) { batchId } }`,
      { i: { fundId, potId, officer: 'x', location: 'x', collectedAt: new Date().toISOString(), scanReference: 'x', entries: [] } },
      tokens[residents[0]],
    );
    expect(asResident.errors?.[0].extensions.code).toBe('AUTH.FORBIDDEN');
  });

  it('shows administrators the register by pseudonymous id, ward and status, never a reference', async () => {
    const page = await api.gql(
      `{ register(ward: "Bow East", first: 100) { totalCount entries { residentId ward status source } } }`,
      {},
      admin,
    );
    expect(page.errors).toBeUndefined();
    const { entries, totalCount } = page.data.register;
    expect(totalCount).toBe(entries.length);
    expect(entries.length).toBeGreaterThanOrEqual(8);
    expect(entries.filter((e: any) => e.status === 'erased')).toHaveLength(1);
    for (const e of entries) expect(e.residentId).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(entries)).not.toMatch(/TH-/);
    expect((await api.gql(`{ register { totalCount } }`, {}, reviewer)).errors?.[0].extensions.code).toBe('AUTH.FORBIDDEN');
  });
});
