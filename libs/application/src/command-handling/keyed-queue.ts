/**
 * Runs the tasks of one key one after another, in the order they arrive; tasks of other keys
 * run alongside. For a stream every command of a kind appends to (a fund's proposal numbers):
 * inside one process its writers then take turns instead of racing, and only writers in other
 * processes can still conflict (the append's expected revision settles those).
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // The last task of a key forgets it, so keys seen once do not pile up.
    void tail.then(() => this.tails.get(key) === tail && this.tails.delete(key));
    return result;
  }

  /** How many keys have a task queued or running. */
  get size(): number {
    return this.tails.size;
  }
}
