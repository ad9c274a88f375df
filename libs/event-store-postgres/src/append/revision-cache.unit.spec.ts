import { prepareAppend } from '@civic/event-store';
import { RevisionCache } from './revision-cache';

const append = (stream: string) => prepareAppend(stream, [{ id: '00000000-0000-4000-8000-000000000001', type: 'E', data: {} }], undefined);

describe(RevisionCache.name, () => {
  it('guesses known revisions, never moves one back, and forgets the least recently used', () => {
    const sut = new RevisionCache(2);
    sut.learn([
      ['fund-a', 3],
      ['fund-b', 1],
    ]);
    sut.learn([['fund-a', 2]]);
    expect(sut.guess([append('fund-a')]).revisions.get('fund-a')).toBe(3);
    sut.learn([
      ['fund-a', 4],
      ['fund-c', 0],
    ]);
    const guess = sut.guess([append('fund-a'), append('fund-b'), append('fund-c')]);
    expect([...guess.revisions]).toEqual([
      ['fund-a', 4],
      ['fund-c', 0],
    ]);
    expect(guess.recorded.size).toBe(0);
  });
});
