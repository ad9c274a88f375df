import { startApi } from './support/api-client';
import { runIdenticalElection } from './support/identical-election';

/** The same election, run twice on two stores (whose ids differ), gives the same results, line by line. */
describe('two identical elections', () => {
  it('give identical results, explanations and totals on two stores', async () => {
    const [a, b] = [await startApi(), await startApi()];
    try {
      const [first, second] = [await runIdenticalElection(a), await runIdenticalElection(b)];
      expect(Object.keys(first)).toEqual(['Mile End', 'Borough-wide']);
      // The runs really are different records of the same election.
      expect(JSON.stringify(first)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      expect(second).toEqual(first);
      expect((first['Mile End'] as { lines: { funded: boolean }[] }).lines.some((l) => l.funded)).toBe(true);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 180_000);
});
