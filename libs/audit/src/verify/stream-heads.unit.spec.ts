import { createHash } from 'node:crypto';
import { StreamHeads } from './stream-heads';

const hashOf = (text: string) => createHash('sha256').update(text).digest();

describe(StreamHeads.name, () => {
  it('keeps the last revision and hash of each of many streams through growth', () => {
    const sut = new StreamHeads(16);
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const name = `ballot-pot${i % 21}-v${i}`;
      expect(sut.slotOf(name)).toBeUndefined();
      sut.set(name, undefined, 0, hashOf(name), 0);
    }
    for (let i = 0; i < n; i += 7) {
      const name = `ballot-pot${i % 21}-v${i}`;
      const slot = sut.slotOf(name);
      expect(sut.revision(slot)).toBe(0);
      expect(sut.hashEquals(slot, hashOf(name), 0)).toBe(true);
      expect(sut.hashEquals(slot, hashOf('other'), 0)).toBe(false);
      sut.set(name, slot, 1, hashOf(`${name}/1`), 0);
      expect(sut.revision(sut.slotOf(name))).toBe(1);
      expect(sut.hashEquals(sut.slotOf(name), hashOf(`${name}/1`), 0)).toBe(true);
    }
    expect(sut.size).toBe(n);
  });

  it('treats "no previous" as matching only a stream not seen yet', () => {
    const sut = new StreamHeads();
    expect(sut.hashEquals(undefined, null, 0)).toBe(true);
    const slot = sut.set('fund-1', undefined, 0, hashOf('x'), 0);
    expect(sut.hashEquals(slot, null, 0)).toBe(false);
    expect(sut.hashEquals(undefined, hashOf('x'), 0)).toBe(false);
  });
});
