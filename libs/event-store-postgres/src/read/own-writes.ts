import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Read-your-writes for `readAll`: readers stop below the oldest transaction still open in the
 * whole cluster (read-all.ts), so an append this node has acknowledged can stay invisible while
 * some unrelated transaction, even in another database, holds its xid. Before reading, wait
 * until this node's last acknowledged write is below that bound, or until `windowMs` after
 * its acknowledgement: never longer, so a stuck transaction elsewhere delays reads, not stops them.
 */
export class OwnWrites {
  private pending: { xid: bigint; deadline: number } | undefined;

  constructor(private readonly windowMs: number) {}

  /** This node committed a write in transaction `xid`. */
  committed(xid: bigint): void {
    if (!this.pending || xid > this.pending.xid) this.pending = { xid, deadline: Date.now() + this.windowMs };
  }

  /** Resolves once the write pending now is visible to readers, or its window has passed. */
  async settle(readBound: () => Promise<bigint>): Promise<void> {
    const target = this.pending;
    if (!target) return;
    for (let pause = 2; Date.now() < target.deadline; pause = Math.min(pause * 2, 50)) {
      if ((await readBound()) > target.xid) break;
      await sleep(pause);
    }
    if (this.pending === target) this.pending = undefined;
  }
}
