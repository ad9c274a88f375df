import { seedDemo } from '../apps/api/src/demo/seed-demo';
import { startApi } from './support/api-client';
import { ok, votingFund } from './support/voting-fund';

/** What officers read and do beside the tallies: turnout, voided ballots, delivery against the official cost. */
describe('staff operations over the API', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.stop());

  it('counts turnout by channel against the register, voids a ballot found by reference, and logs the void publicly without saying whose', async () => {
    const f = await votingFund(api, ['OP-1', 'OP-2', 'OP-3']);
    const cast = async (r: string) =>
      ok(
        await api.gql(
          `mutation($f: ID!, $p: ID!, $id: ID!) { castBallot(fundId: $f, potId: $p, content: { proposalIds: [$id] }) { position } }`,
          { f: f.fundId, p: f.potId, id: f.proposals[1] },
          f.tokens[r],
        ),
      );
    await cast('OP-1');
    await cast('OP-2');
    const turnout = async (token?: string) =>
      api.gql(`query($f: ID!) { turnout(fundId: $f) { potId ward ballots online paper assisted registered } }`, { f: f.fundId }, token);
    expect(ok(await turnout(f.reviewer)).turnout).toEqual([
      { potId: f.potId, ward: 'Mile End', ballots: 2, online: 2, paper: 0, assisted: 0, registered: 3 },
    ]);
    // During voting, turnout is for staff: the public sees it with the results.
    expect((await turnout()).errors?.[0].extensions.code).toBe('AUTH.FORBIDDEN');
    expect((await turnout(f.tokens['OP-3'])).errors?.[0].extensions.code).toBe('AUTH.FORBIDDEN');

    const voidIt = (vars: object) =>
      api.gql(
        `mutation($f: ID!, $p: ID!, $r: String, $s: String) { voidBallot(fundId: $f, potId: $p, reference: $r, pseudonym: $s, reason: "Voted twice with two references") { position } }`,
        { f: f.fundId, p: f.potId, ...vars },
        f.reviewer,
      );
    expect((await voidIt({})).errors?.[0].extensions.code).toBe('INPUT.INVALID');
    expect((await voidIt({ r: 'op-2', s: 'a'.repeat(64) })).errors?.[0].extensions.code).toBe('INPUT.INVALID');
    ok(await voidIt({ r: ' op-2 ' }));
    expect(ok(await turnout(f.reviewer)).turnout[0]).toMatchObject({ ballots: 1, online: 1 });
    const voided = ok(
      await api.gql(`query($p: ID!) { voidedBallots(potId: $p) { count ballots { reason voidedAt position } } }`, { p: f.potId }),
    ).voidedBallots;
    expect(voided.count).toBe(1);
    expect(voided.ballots[0].reason).toBe('Voted twice with two references');
    expect(JSON.stringify(voided)).not.toMatch(/[0-9a-f]{64}|OP-2/i);
    // The voter learns their ballot was voided.
    const mine = ok(
      await api.gql(
        `query($f: ID!, $p: ID!) { myBallot(fundId: $f, potId: $p) { status } }`,
        { f: f.fundId, p: f.potId },
        f.tokens['OP-2'],
      ),
    );
    expect(mine.myBallot.status).toBe('voided');
  });

  it('reconciles each paper batch of a pot: forms entered, ballots recorded, forms refused; turnout counts paper apart', async () => {
    const f = await votingFund(api, ['PB-1', 'PB-2']);
    const entered = ok(
      await api.gql(
        `mutation($i: PaperBatchInput!) { enterPaperBatch(input: $i) { batchId entries { recorded code } } }`,
        {
          i: {
            fundId: f.fundId,
            potId: f.potId,
            officer: 'officer-7',
            location: 'Idea Store Bow',
            collectedAt: new Date(Date.now() - 3600_000).toISOString(),
            scanReference: 'SCAN-77',
            entries: [
              { reference: 'PB-1', content: { proposalIds: [f.proposals[0]] } },
              { reference: 'PB-NOT-ON-REGISTER', content: { proposalIds: [f.proposals[0]] } },
              { reference: 'PB-2', content: { proposalIds: [f.proposals[0], f.proposals[1], f.proposals[2]] } },
            ],
          },
        },
        f.reviewer,
      ),
    ).enterPaperBatch;
    expect(entered.entries.map((e: { recorded: boolean }) => e.recorded)).toEqual([true, false, false]);
    const batches = ok(
      await api.gql(
        `query($p: ID!) { paperBatches(potId: $p) { batchId location entryCount recorded refused corrections } }`,
        { p: f.potId },
        f.reviewer,
      ),
    ).paperBatches;
    expect(batches).toEqual([
      { batchId: entered.batchId, location: 'Idea Store Bow', entryCount: 3, recorded: 1, refused: 2, corrections: 0 },
    ]);
    const turnout = ok(await api.gql(`query($f: ID!) { turnout(fundId: $f) { online paper } }`, { f: f.fundId }, f.reviewer)).turnout;
    expect(turnout).toEqual([{ online: 0, paper: 1 }]);
    expect(
      (await api.gql(`query($p: ID!) { paperBatches(potId: $p) { batchId } }`, { p: f.potId }, f.tokens['PB-1'])).errors?.[0].extensions
        .code,
    ).toBe('AUTH.FORBIDDEN');
  });

  it('looks a resident up by the reference they give: status, ward and eligibility per pot, never personal data', async () => {
    const f = await votingFund(api, ['LK-1']);
    ok(
      await api.gql(
        `mutation($i: RegisterResidentInput!) { registerResident(input: $i) { done } }`,
        { i: { reference: 'LK-2', dateOfBirth: '1970-05-05', ward: 'Mile End', name: 'Ayesha Begum', email: 'ayesha@example.org' } },
        f.admin,
      ),
    );
    const lookUp = async (reference: string) =>
      ok(
        await api.gql(
          `query($r: String!, $f: ID) { residentByReference(reference: $r, fundId: $f) { status ward source eligibility { potId eligibility } } }`,
          { r: reference, f: f.fundId },
          f.reviewer,
        ),
      ).residentByReference;
    expect(await lookUp(' lk-1 ')).toEqual({
      status: 'verified',
      ward: 'Mile End',
      source: 'register',
      eligibility: [{ potId: f.potId, eligibility: 'eligible' }],
    });
    const self = await lookUp('LK-2');
    expect(self).toMatchObject({ status: 'registered', source: 'self', eligibility: [{ eligibility: 'not_verified' }] });
    // The pot ids are random UUIDs (one may hold "1970"): look for personal data in everything but them.
    const shown = { ...self, eligibility: self.eligibility.map((e: { eligibility: string }) => e.eligibility) };
    expect(JSON.stringify(shown)).not.toMatch(/Ayesha|example\.org|1970/);
    expect(await lookUp('LK-NOBODY')).toMatchObject({ status: 'not_registered', eligibility: [{ eligibility: 'not_registered' }] });
    const bad = await api.gql(`query { residentByReference(reference: "<script>") { status } }`, {}, f.reviewer);
    expect(bad.errors?.[0].extensions.code).toBe('RESIDENT.INVALID_REFERENCE');
  });

  it('lists a fund’s funded proposals with milestones and every spend, and asks a reason for spend past the official cost', async () => {
    const summary = await seedDemo(api.app);
    const admin = await api.signIn('administrator', 'admin-op');
    const query = `query($f: ID!) { fundDelivery(fundId: $f) { proposalId title officialCost totalSpent overspent milestones { title status } spends { amount description spentOn overspendReason } } }`;
    const before = ok(await api.gql(query, { f: summary.pastFundId })).fundDelivery;
    expect(before.length).toBeGreaterThan(0);
    for (const p of before) {
      expect(p.title).not.toBe('');
      expect(p.milestones.map((m: { title: string }) => m.title)).toEqual(['Design agreed with residents', 'Works on site']);
      expect(Number(p.totalSpent)).toBe(p.spends.reduce((sum: number, s: { amount: string }) => sum + Number(s.amount), 0));
      expect(p.overspent).toBe(false);
    }
    const target = before[0];
    const left = Number(target.officialCost) - Number(target.totalSpent);
    const spend = (amount: number, reason?: string) =>
      api.gql(
        `mutation($f: ID!, $p: ID!, $a: Pence!, $r: String) { reportSpend(fundId: $f, proposalId: $p, amount: $a, description: "Contractor's final invoice", spentOn: "2026-01-15", overspendReason: $r) { totalSpent spends { overspendReason } } }`,
        { f: summary.pastFundId, p: target.proposalId, a: String(amount), r: reason },
        admin,
      );
    expect((await spend(left + 1)).errors?.[0].extensions.code).toBe('DELIVERY.OVERSPEND_REASON_REQUIRED');
    const reported = ok(await spend(left + 1, 'Unexpected drainage works'));
    expect(reported.reportSpend.spends.at(-1).overspendReason).toBe('Unexpected drainage works');
    const after = ok(await api.gql(query, { f: summary.pastFundId })).fundDelivery.find(
      (p: { proposalId: string }) => p.proposalId === target.proposalId,
    );
    expect(after.overspent).toBe(true);
    expect(Number(after.totalSpent)).toBe(Number(target.officialCost) + 1);
  }, 120_000);
});
