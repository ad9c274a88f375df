import { randomUUID } from 'node:crypto';
import type { ContactIndex } from '../email-code/contact-index.port';

/**
 * What every contact index does; run by each adapter's spec. `open` opens the same index each
 * time (the same file, the same schema), as a restart or a second node would.
 */
export function contactIndexContract(name: string, open: () => Promise<ContactIndex>): void {
  describe(name, () => {
    let sut: ContactIndex;
    beforeEach(async () => (sut = await open()));
    afterEach(() => sut.close());
    const run = () => randomUUID().slice(0, 8);

    it('keeps every resident recorded at once (as a register import records them), durably, and finds them by address', async () => {
      const r = run();
      const entries = Array.from({ length: 500 }, (_, i) => ({
        residentId: `${r}-${i}`,
        reference: `REF${i}`,
        email: `family-${i % 250}-${r}@example.org`,
      }));
      await Promise.all(entries.map((e) => sut.record(e)));
      await sut.close();
      sut = await open();
      const mine = (await sut.all()).filter((x) => x.residentId.startsWith(`${r}-`));
      expect(mine).toHaveLength(500);
      expect((await sut.findByEmail(` Family-7-${r.toUpperCase()}@EXAMPLE.org `)).map((x) => x.reference).sort()).toEqual([
        'REF257',
        'REF7',
      ]);
    });

    it('keeps the latest address of a resident recorded twice, and forgets an erased one', async () => {
      const r = run();
      await sut.record({ residentId: `${r}-1`, reference: 'REF1', email: `old-${r}@example.org` });
      await Promise.all([
        sut.record({ residentId: `${r}-2`, reference: 'REF2' }),
        sut.record({ residentId: `${r}-1`, reference: 'REF1', email: `between-${r}@example.org` }),
        sut.record({ residentId: `${r}-1`, reference: 'REF1', email: `new-${r}@example.org` }),
      ]);
      expect(await sut.findByEmail(`old-${r}@example.org`)).toEqual([]);
      expect(await sut.findByEmail(`between-${r}@example.org`)).toEqual([]);
      expect(await sut.findByEmail(`new-${r}@example.org`)).toEqual([{ residentId: `${r}-1`, reference: 'REF1' }]);
      await sut.remove(`${r}-1`);
      await sut.remove(`${r}-1`); // erasure is finished again at every start
      expect(await sut.findByEmail(`new-${r}@example.org`)).toEqual([]);
      expect((await sut.all()).map((x) => x.residentId)).toEqual(expect.arrayContaining([`${r}-2`]));
      expect((await sut.all()).map((x) => x.residentId)).not.toContain(`${r}-1`);
    });

    it('records a group in one call as it records each entry, a resident named twice keeping the later entry', async () => {
      const r = run();
      await sut.record({ residentId: `${r}-0`, reference: 'REF0', email: `before-${r}@example.org` });
      await sut.recordAll([
        { residentId: `${r}-0`, reference: 'REF0', email: `first-${r}@example.org` },
        { residentId: `${r}-1`, reference: 'REF1' },
        { residentId: `${r}-0`, reference: 'REF0', email: `second-${r}@example.org` },
      ]);
      await sut.recordAll([]);
      await sut.close();
      sut = await open();
      expect(await sut.findByEmail(`before-${r}@example.org`)).toEqual([]);
      expect(await sut.findByEmail(`first-${r}@example.org`)).toEqual([]);
      expect(await sut.findByEmail(`second-${r}@example.org`)).toEqual([{ residentId: `${r}-0`, reference: 'REF0' }]);
      const mine = (await sut.all()).filter((x) => x.residentId.startsWith(`${r}-`));
      expect(mine.map((x) => [x.residentId, x.reference]).sort()).toEqual([
        [`${r}-0`, 'REF0'],
        [`${r}-1`, 'REF1'],
      ]);
    });

    it('hashes addresses with its key: the same address, typed differently, has one hash, and it is not the address', () => {
      expect(sut.hash(' Ann@Example.org')).toBe(sut.hash('ann@example.org'));
      expect(sut.hash('ann@example.org')).not.toContain('ann');
      expect(sut.hash('ann@example.org')).not.toBe(sut.hash('ben@example.org'));
    });
  });
}
