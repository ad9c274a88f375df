import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@civic/event-store-sqlite';
// Relative until tsconfig maps `@civic/audit/*` (as it does `@civic/event-store/*`).
import { alterData } from '../../../../../libs/audit/src/testing';
import { cli } from '../testing/cli';
import { writeFundHistory, type FundHistory } from '../testing/fund-history';

const VOTERS = 2500;
const dir = mkdtempSync(join(tmpdir(), 'civic-cli-recompute-'));
const path = join(dir, 'events.sqlite');
let history: FundHistory;

beforeAll(async () => {
  const store = new SqliteEventStore({ path });
  history = await writeFundHistory(store, VOTERS);
  await store.close();
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Line = {
  proposalId: string;
  recorded?: { funded: boolean; amount: number };
  recomputed?: { funded: boolean; amount: number };
  match: boolean;
};

describe('npm run -s cli -- audit recompute', () => {
  it('reproduces every recorded allocation of a fund with thousands of ballots, penny by penny, and lists the override apart', async () => {
    const { code, stdout } = await cli(['audit', 'recompute', '--store', 'sqlite', '--sqlite-path', path]);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ ok: true, interrupted: false, mismatches: [] });
    expect(report.allocations.map((a: { potId: string }) => a.potId)).toEqual(['pot-spitalfields', 'pot-borough']);
    for (const allocation of report.allocations) {
      expect(allocation).toMatchObject({ ok: true, digestMatches: true, totalCost: { match: true } });
      expect(allocation.ballotCount.recorded).toBeGreaterThan(2000);
      expect(allocation.ballotCount.recomputed).toBe(allocation.ballotCount.recorded);
      expect(allocation.lines.every((l: Line) => l.match && l.recorded!.amount === l.recomputed!.amount)).toBe(true);
      // The recorded explanations are checked too, line by line.
      expect(allocation.lines.every((l: Line & { explanationMatches?: boolean }) => l.explanationMatches === true)).toBe(true);
    }
    const borough = report.allocations[1];
    expect(borough.overrides).toEqual([
      expect.objectContaining({ proposalId: history.overridden.proposalId, funded: false, amount: 0, reason: 'Site unavailable' }),
    ]);
    expect(borough.lines.find((l: Line) => l.proposalId === history.overridden.proposalId)).toMatchObject({
      recorded: { funded: true },
      match: true,
    });
    expect(code).toBe(0);
  }, 60_000);

  it('names the proposal whose recorded line was altered in the stored event, and exits 1', async () => {
    // An attacker with file access moves money between two lines, keeping the total.
    alterData(path, `type = 'AllocationRecorded' AND stream_name = 'allocation-pot-spitalfields'`, (text) => {
      const data = JSON.parse(text);
      const funded = data.lines.find((l: Line & { amount: number; funded: boolean }) => l.funded);
      funded.amount -= 1;
      return JSON.stringify(data);
    });
    const { code, stdout } = await cli(['audit', 'recompute', '--sqlite-path', path]);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(false);
    const ward = report.allocations[0];
    const altered = ward.lines.filter((l: Line) => !l.match);
    expect(altered).toHaveLength(1);
    expect(altered[0].recorded.amount).toBe(altered[0].recomputed.amount - 1);
    expect(report.mismatches).toEqual([`pot-spitalfields/${altered[0].proposalId}`]);
    expect(ward.digestMatches).toBe(true);
    expect(report.allocations[1].ok).toBe(true);
    expect(code).toBe(1);
  }, 60_000);

  it('names the proposal whose recorded explanation was altered, though its money was not, and exits 1', async () => {
    alterData(path, `type = 'AllocationRecorded' AND stream_name = 'allocation-pot-borough'`, (text) => {
      const data = JSON.parse(text);
      data.lines[0].explanation.supporters += 1;
      return JSON.stringify(data);
    });
    const { code, stdout } = await cli(['audit', 'recompute', '--sqlite-path', path]);
    const borough = JSON.parse(stdout).allocations[1];
    const altered = borough.lines.filter((l: Line) => !l.match);
    expect(altered).toEqual([expect.objectContaining({ explanationMatches: false })]);
    expect(altered[0].recorded.amount).toBe(altered[0].recomputed.amount);
    expect(borough.ok).toBe(false);
    expect(code).toBe(1);
  }, 60_000);

  it('exits 2 on bad options and on a store that is not there', async () => {
    expect((await cli(['audit', 'recompute', '--nope'])).code).toBe(2);
    const missing = await cli(['audit', 'recompute', '--sqlite-path', join(dir, 'missing.sqlite')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/No SQLite event store/);
  }, 60_000);
});
