import { OwnWrites } from './own-writes';

describe(OwnWrites.name, () => {
  it('does not look at the bound when this node has written nothing since', async () => {
    const sut = new OwnWrites(1000);
    const bound = jest.fn(async () => 0n);
    await sut.settle(bound);
    expect(bound).not.toHaveBeenCalled();
  });

  it('waits until the bound passes the last acknowledged write, then stops checking', async () => {
    const sut = new OwnWrites(5000);
    sut.committed(10n);
    const bounds = [9n, 10n, 11n];
    const bound = jest.fn(async () => bounds.shift()!);
    await sut.settle(bound);
    expect(bound).toHaveBeenCalledTimes(3);
    await sut.settle(bound);
    expect(bound).toHaveBeenCalledTimes(3);
  });

  it('gives up after its window, so a stuck transaction elsewhere only delays reads', async () => {
    const sut = new OwnWrites(30);
    sut.committed(10n);
    const start = Date.now();
    await sut.settle(async () => 5n);
    expect(Date.now() - start).toBeLessThan(500);
  });
});
