import { KeyedQueue } from './keyed-queue';

describe(KeyedQueue.name, () => {
  /** A task that runs until `finish` is called, recording when it starts and ends. */
  const gated = (log: string[], name: string) => {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const task = async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
      return name;
    };
    return { task, finish };
  };

  it('runs the tasks of one key one at a time, in arrival order, and of other keys alongside', async () => {
    const sut = new KeyedQueue();
    const log: string[] = [];
    const [a1, a2, b1] = [gated(log, 'a1'), gated(log, 'a2'), gated(log, 'b1')];
    const results = [sut.run('a', a1.task), sut.run('a', a2.task), sut.run('b', b1.task)];
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['start a1', 'start b1']);
    a2.finish();
    b1.finish();
    await results[2];
    expect(log).toEqual(['start a1', 'start b1', 'end b1']);
    a1.finish();
    expect(await Promise.all(results)).toEqual(['a1', 'a2', 'b1']);
    expect(log).toEqual(['start a1', 'start b1', 'end b1', 'end a1', 'start a2', 'end a2']);
    await new Promise((r) => setImmediate(r));
    expect(sut.size).toBe(0);
  });

  it('goes on with the next task of a key after one fails, and gives the failure to its caller only', async () => {
    const sut = new KeyedQueue();
    const failing = sut.run('a', () => Promise.reject(new Error('refused')));
    const next = sut.run('a', async () => 'next');
    await expect(failing).rejects.toThrow('refused');
    expect(await next).toBe('next');
  });
});
