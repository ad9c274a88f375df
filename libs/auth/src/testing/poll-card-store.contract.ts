import { randomUUID } from 'node:crypto';
import type { PollCardStore } from '../poll-card/poll-card-store.port';

/** What every poll card store does; run by each adapter's spec. */
export function pollCardStoreContract(name: string, open: () => Promise<PollCardStore>): void {
  describe(name, () => {
    let sut: PollCardStore;
    beforeEach(async () => (sut = await open()));
    afterEach(() => sut.close());
    const run = () => randomUUID().slice(0, 8);

    it('keeps the codes issued for a fund, replaces them when issued again, and ends a revoked one only', async () => {
      const r = run();
      const [fund, other] = [`f-${r}`, `g-${r}`];
      await sut.issueAll(
        fund,
        [
          { residentId: `a-${r}`, codeHash: 'h1' },
          { residentId: `b-${r}`, codeHash: 'h2' },
        ],
        1_000,
      );
      await sut.issueAll(other, [{ residentId: `a-${r}`, codeHash: 'h3' }], 1_000);
      expect((await sut.activeFor(`a-${r}`)).sort((x, y) => x.fundId.localeCompare(y.fundId))).toEqual([
        { fundId: fund, codeHash: 'h1' },
        { fundId: other, codeHash: 'h3' },
      ]);
      expect(await sut.revoke(fund, `a-${r}`, 2_000)).toBe(true);
      expect(await sut.revoke(fund, `a-${r}`, 2_100)).toBe(false);
      expect(await sut.revoke(fund, `nobody-${r}`, 2_100)).toBe(false);
      expect(await sut.activeFor(`a-${r}`)).toEqual([{ fundId: other, codeHash: 'h3' }]);
      expect(await sut.activeFor(`b-${r}`)).toEqual([{ fundId: fund, codeHash: 'h2' }]);
      await sut.issueAll(
        fund,
        [
          { residentId: `a-${r}`, codeHash: 'h4' },
          { residentId: `b-${r}`, codeHash: 'h5' },
        ],
        3_000,
      );
      expect(await sut.activeFor(`b-${r}`)).toEqual([{ fundId: fund, codeHash: 'h5' }]);
      expect((await sut.activeFor(`a-${r}`)).find((c) => c.fundId === fund)).toEqual({ fundId: fund, codeHash: 'h4' });
    });

    it('counts failed sign-ins per reference hash within a window', async () => {
      const r = run();
      for (const at of [1_000, 2_000, 3_000]) await sut.recordFailure(`ref-${r}`, at);
      await sut.recordFailure(`other-${r}`, 2_500);
      expect(await sut.failuresSince(`ref-${r}`, 0)).toBe(3);
      expect(await sut.failuresSince(`ref-${r}`, 1_500)).toBe(2);
      expect(await sut.failuresSince(`ref-${r}`, 3_000)).toBe(0);
      expect(await sut.failuresSince(`none-${r}`, 0)).toBe(0);
    });
  });
}
