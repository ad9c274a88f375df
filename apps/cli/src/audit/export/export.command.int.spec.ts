import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePabulib } from '@civic/allocation';
import { SqliteEventStore } from '@civic/event-store-sqlite';
import { cli } from '../testing/cli';
import { ERASED, writeFundHistory, type FundHistory } from '../testing/fund-history';

const dir = mkdtempSync(join(tmpdir(), 'civic-cli-export-'));
const published = join(dir, 'published.sqlite');
const open = join(dir, 'open.sqlite');
let history: FundHistory;

beforeAll(async () => {
  for (const [path, complete] of [
    [published, true],
    [open, false],
  ] as const) {
    const store = new SqliteEventStore({ path });
    const written = await writeFundHistory(store, 120, complete);
    if (complete) history = written;
    await store.close();
  }
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

/** Every file a pb export wrote, as text. */
const pbFiles = (out: string) => readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8'));

describe('npm run -s cli -- audit export', () => {
  it('reveals nothing of an erased resident in any export: not their name, email, date of birth or reference', async () => {
    // Every export, plain and for auditors, to stdout, to a file and as pabulib files, side by side.
    const runs = await Promise.all(
      [[], ['--auditor']].map(async (auditor) => {
        const file = join(dir, `all${auditor.length}.jsonl`);
        const out = join(dir, `pb${auditor.length}`);
        const [jsonl, toFile, pb] = await Promise.all([
          cli(['audit', 'export', '--format', 'jsonl', '--out', '-', '--sqlite-path', published, ...auditor]),
          cli(['audit', 'export', '--format', 'jsonl', '--out', file, '--sqlite-path', published, ...auditor]),
          cli(['audit', 'export', '--format', 'pb', '--out', out, '--sqlite-path', published, ...auditor]),
        ]);
        for (const run of [jsonl, toFile, pb]) expect(run.code).toBe(0);
        return [jsonl.stdout, jsonl.stderr, toFile.stdout, readFileSync(file, 'utf8'), pb.stdout, ...pbFiles(out)];
      }),
    );
    const texts = runs.flat();
    const events = lines(texts[0]);
    expect(events.some((e) => e.type === 'ResidentErased')).toBe(true);
    const registered = events.filter((e) => e.type === 'ResidentRegistered');
    expect(registered).toHaveLength(121);
    for (const e of registered)
      expect(e.data.personal).toEqual({ keyId: expect.any(String), ciphertext: 'withheld: sealed personal data' });
    expect(JSON.parse(texts[1]).privacy).toMatchObject({ sealed: 121, clearFieldsDropped: 0 });
    const everything = texts.join('\n');
    for (const secret of [ERASED.name, 'Quantrill', ERASED.email, ERASED.dateOfBirth, '14/03/1971', ERASED.reference]) {
      expect(everything).not.toContain(secret);
    }
  }, 120_000);

  it('writes each pot as a pabulib file: pounds, accepted proposals, pseudonyms, votes to the hour, selected once published', async () => {
    const out = join(dir, 'pb-check');
    const { code, stdout } = await cli(['audit', 'export', '--format', 'pb', '--out', out, '--sqlite-path', published]);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.pots).toHaveLength(2);
    const ward = summary.pots.find((p: { potId: string }) => p.potId === 'pot-spitalfields');
    expect(ward).toMatchObject({ selected: true, votes: 121 });
    const text = readFileSync(ward.file, 'utf8');
    const election = parsePabulib(text);
    expect(election.budget.toDecimalString()).toBe('20000');
    expect(election.meta.currency).toBe('GBP');
    expect(Object.fromEntries(election.projects.map((p) => [p.id, p.cost.toDecimalString()]))).toEqual({
      benches: '8000',
      lights: '5000',
      mural: '3500.5',
      trees: '9000',
    });
    expect(election.projects.every((p) => p.extra?.selected === '0' || p.extra?.selected === '1')).toBe(true);
    expect(election.ballots).toHaveLength(121);
    for (const b of election.ballots) {
      expect(b.voterId).toMatch(/^[0-9a-f]{64}$/);
      expect(b.extra?.time).toMatch(/T\d\d:00:00\.000Z$/);
    }
  }, 60_000);

  it('withholds the ballot marks of a fund whose results are not published, unless --auditor', async () => {
    const plain = lines((await cli(['audit', 'export', '--format', 'jsonl', '--sqlite-path', open])).stdout);
    const casts = plain.filter((e) => e.type === 'BallotCast');
    expect(casts.length).toBeGreaterThan(200);
    for (const e of casts) {
      expect(e.data.content).toBe('withheld until results are published');
      expect(e.recordedAt).toMatch(/T\d\d:00:00\.000Z$/);
      expect(e.redacted).toContain('content');
    }
    const auditor = lines((await cli(['audit', 'export', '--format', 'jsonl', '--auditor', '--sqlite-path', open])).stdout);
    expect(auditor.filter((e) => e.type === 'BallotCast').every((e) => typeof e.data.content === 'object')).toBe(true);

    const out = join(dir, 'pb-open');
    const withheld = JSON.parse((await cli(['audit', 'export', '--format', 'pb', '--out', out, '--sqlite-path', open])).stdout);
    expect(withheld.pots.every((p: { file: string | null; withheld?: string }) => p.file === null && p.withheld)).toBe(true);
    expect(readdirSync(out)).toEqual([]);
    const forAuditor = JSON.parse(
      (await cli(['audit', 'export', '--format', 'pb', '--out', out, '--auditor', '--sqlite-path', open])).stdout,
    );
    expect(forAuditor.pots).toHaveLength(2);
    for (const pot of forAuditor.pots) {
      expect(pot.selected).toBe(false);
      const election = parsePabulib(readFileSync(pot.file, 'utf8'));
      expect(election.projects.some((p) => p.extra && 'selected' in p.extra)).toBe(false);
      expect(election.ballots.length).toBeGreaterThan(100);
    }
  }, 120_000);

  it('--as-of a position mid-vote exports the history as it stood then, in both formats', async () => {
    const asOf = ['--as-of', history.midVote.position, '--sqlite-path', published];
    const [all, upTo, plain] = await Promise.all([
      cli(['audit', 'export', '--format', 'jsonl', '--auditor', '--sqlite-path', published]),
      cli(['audit', 'export', '--format', 'jsonl', '--auditor', ...asOf]),
      cli(['audit', 'export', '--format', 'jsonl', ...asOf]),
    ]);
    expect([all.code, upTo.code, plain.code]).toEqual([0, 0, 0]);
    // For the auditor, nothing depends on what came later: exactly the prefix of the whole export.
    const everything = lines(all.stdout);
    const cut = everything.findIndex((e) => e.position === history.midVote.position);
    expect(cut).toBeGreaterThan(100);
    expect(lines(upTo.stdout)).toEqual(everything.slice(0, cut + 1));
    expect(JSON.parse(upTo.stderr)).toMatchObject({ asOf: history.midVote.position, events: cut + 1, interrupted: false });
    // Results were not published then, so the public export withholds the marks it shows at the end.
    const casts = lines(plain.stdout).filter((e) => e.type === 'BallotCast');
    expect(casts.length).toBeGreaterThan(50);
    expect(casts.every((e) => e.data.content === 'withheld until results are published')).toBe(true);

    const out = join(dir, 'pb-as-of');
    const pb = await cli(['audit', 'export', '--format', 'pb', '--out', out, '--auditor', ...asOf]);
    expect(pb.code).toBe(0);
    const summary = JSON.parse(pb.stdout);
    const ward = summary.pots.find((p: { potId: string }) => p.potId === 'pot-spitalfields');
    expect(ward).toMatchObject({ selected: false, votes: Object.keys(history.midVote.counted['pot-spitalfields']).length });
    expect(parsePabulib(readFileSync(ward.file, 'utf8')).ballots).toHaveLength(ward.votes);
  }, 120_000);

  it('a public export cut before ResultsPublished shows no allocation: no lines, amounts or reasons, in either format', async () => {
    const all = lines((await cli(['audit', 'export', '--format', 'jsonl', '--auditor', '--sqlite-path', published])).stdout);
    const at = all.findIndex((e) => e.type === 'ResultsPublished');
    expect(all.slice(0, at).filter((e) => e.type === 'AllocationRecorded')).toHaveLength(2);
    const cut = ['--as-of', all[at - 1].position, '--sqlite-path', published];
    const [plain, auditor] = await Promise.all([
      cli(['audit', 'export', '--format', 'jsonl', ...cut]),
      cli(['audit', 'export', '--format', 'jsonl', '--auditor', ...cut]),
    ]);
    const allocations = lines(plain.stdout).filter((e) => e.streamName.startsWith('allocation-'));
    expect(allocations.map((e) => e.type)).toEqual(expect.arrayContaining(['AllocationRecorded', 'AllocationLineOverridden']));
    const withContent = allocations.filter((e) => e.type === 'AllocationRecorded' || e.type === 'AllocationLineOverridden');
    expect(withContent).toHaveLength(3);
    for (const e of withContent) {
      expect(e.data).toEqual({ fundId: expect.any(String), potId: expect.any(String), allocation: 'withheld until results are published' });
      expect(e.redacted).toContain('allocation');
    }
    expect(plain.stdout).not.toContain('Site unavailable');
    expect(JSON.parse(plain.stderr).privacy).toMatchObject({ allocationsWithheld: 3 });
    // The auditor's export of the same cut has them.
    const recorded = lines(auditor.stdout).filter((e) => e.type === 'AllocationRecorded');
    expect(recorded.every((e) => Array.isArray(e.data.lines) && e.data.lines.length > 0)).toBe(true);
    expect(auditor.stdout).toContain('Site unavailable');

    const out = join(dir, 'pb-before-results');
    const pb = JSON.parse((await cli(['audit', 'export', '--format', 'pb', '--out', out, ...cut])).stdout);
    expect(pb.pots.map((p: { file: string | null }) => p.file)).toEqual([null, null]);
    expect(readdirSync(out)).toEqual([]);
  }, 120_000);

  it('--as-of a time before the first event exports nothing; a position not in the log exits 2 and writes nothing', async () => {
    const early = await cli(['audit', 'export', '--format', 'jsonl', '--as-of', '2000-01-01T00:00:00Z', '--sqlite-path', published]);
    expect(early.stdout).toBe('');
    expect(JSON.parse(early.stderr)).toMatchObject({ asOf: '2000-01-01T00:00:00.000Z', events: 0 });
    const file = join(dir, 'never.jsonl');
    const runs = await Promise.all([
      cli(['audit', 'export', '--format', 'jsonl', '--out', file, '--as-of', '99999999', '--sqlite-path', published]),
      cli(['audit', 'export', '--format', 'pb', '--out', join(dir, 'pb-never'), '--as-of', '99999999', '--sqlite-path', published]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2]);
    for (const r of runs) expect(r.stderr).toMatch(/--as-of 99999999 is neither a position of this history nor an ISO time/);
    expect(existsSync(file)).toBe(false);
  }, 60_000);

  it('exits 2 on a missing or unknown format and on pb without --out', async () => {
    const runs = await Promise.all([
      cli(['audit', 'export', '--sqlite-path', published]),
      cli(['audit', 'export', '--format', 'csv', '--sqlite-path', published]),
      cli(['audit', 'export', '--format', 'pb', '--sqlite-path', published]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2]);
  }, 60_000);
});
