import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportFailure } from '../cli-error';
import { run } from './index';

const ASSEN = join(__dirname, '../../../../libs/allocation/test/fixtures/pabulib/Netherlands_Assen_2024.pb');

/** Runs `pb ...` and returns the exit code and the JSON printed on stdout. */
async function pb(...args: string[]): Promise<{ code: number; out: any }> {
  const chunks: string[] = [];
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((c) => (chunks.push(String(c)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    // A failure goes through the CLI's one failure path, as in main.ts.
    const code = await run(args).catch(reportFailure);
    return { code, out: JSON.parse(chunks.join('')) };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('cli pb', () => {
  it('allocate prints the rule, the selection, the total cost and the explanation as JSON', async () => {
    const { code, out } = await pb('allocate', '--rule', 'mes_cost_add1', ASSEN);
    expect(code).toBe(0);
    expect(out).toMatchObject({ rule: 'mes_cost_add1', ruleVersion: '1', tieBreak: 'lexico', totalCost: '76700' });
    expect(out.selected).toEqual(['3', '9', '11', '2', '13', '14', '5', '6', '12']);
    expect(out.explanation['2'].mes).toMatchObject({ outcome: 'selected', round: 4, priceFactor: '1/24' });
  });

  it('allocate with the equalshares order records the seed it used', async () => {
    const { code, out } = await pb('allocate', '--rule', 'greedy_cost', '--tie-break', 'equalshares', '--seed', 'draw-1', ASSEN);
    expect(code).toBe(0);
    expect(out).toMatchObject({ tieBreak: 'equalshares', seed: 'draw-1' });
  });

  it('fails with a code on an unknown rule, a malformed file, a missing file or bad usage', async () => {
    expect(await pb('allocate', '--rule', 'nope', ASSEN)).toMatchObject({ code: 1, out: { error: { code: 'ALLOCATION.UNKNOWN_RULE' } } });
    const bad = join(mkdtempSync(join(tmpdir(), 'pb-')), 'bad.pb');
    writeFileSync(bad, 'META\nkey;value\nbudget;lots\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;1\n');
    const malformed = await pb('allocate', '--rule', 'mes_cost', bad);
    expect(malformed).toMatchObject({ code: 1, out: { error: { code: 'PABULIB.MALFORMED' } } });
    expect(malformed.out.error.message).toContain('line 3');
    expect(await pb('allocate', '--rule', 'mes_cost', '/nonexistent.pb')).toMatchObject({
      code: 1,
      out: { error: { code: 'CLI.FILE_NOT_FOUND' } },
    });
    expect(await pb('allocate', ASSEN)).toMatchObject({ code: 2, out: { error: { code: 'CLI.USAGE' } } });
    expect(await pb('allocate', '--rule', 'mes_cost', '--tie-break', 'coin', ASSEN)).toMatchObject({ code: 2 });
  });

  it('rules lists every key with its version', async () => {
    const { out } = await pb('rules');
    expect(out.rules).toHaveLength(24);
    expect(out.rules[0]).toMatchObject({ key: 'greedy_cardinality', version: '1' });
  });
});
