import { allocate, readPabulibFile, type Election } from '@civic/allocation';
import { EXPECTED, fixture, ruleKeysOf } from './fixtures';

/**
 * Declares one test per rule key of `file`: the selection must equal the reference's exactly,
 * as a set, in selection order, and at the same total cost.
 */
export function describeConformance(file: string, keep: (rule: string) => boolean = () => true, timeout = 60_000): void {
  describe(file, () => {
    let election: Election;
    beforeAll(async () => {
      election = await readPabulibFile(fixture(file));
    }, timeout);

    it.each(ruleKeysOf(file).filter(keep))(
      '%s selects exactly what the reference selects',
      (rule) => {
        const expected = EXPECTED[file][rule];
        const result = allocate(election, rule);
        expect([...result.selected].sort()).toEqual([...expected.selected].sort());
        expect(result.selected).toEqual(expected.selection_order);
        expect(result.totalCost.toString()).toBe(expected.total_cost);
      },
      timeout,
    );
  });
}
