import type { PreparedAppend, StreamRevision } from '@civic/event-store';
import type { AppendState } from './plan-batch';

/**
 * The last revision this process knows each stream to have committed: a lower bound, since
 * revisions only grow and only committed revisions are stored here. Bounded: the least
 * recently used streams are forgotten first.
 */
export class RevisionCache {
  private readonly revisions = new Map<string, StreamRevision>();

  constructor(private readonly maxStreams = 100_000) {}

  /**
   * A guess at the state before a batch: known revisions, unknown streams taken as absent,
   * no id recorded before. Only safe to act on as commit-batch.ts does.
   */
  guess(batch: readonly PreparedAppend[]): AppendState {
    const revisions = new Map<string, StreamRevision>();
    for (const { streamName } of batch) {
      const known = this.revisions.get(streamName);
      if (known !== undefined) revisions.set(streamName, known);
    }
    return { revisions, recorded: new Map() };
  }

  /** Records committed revisions. */
  learn(revisions: Iterable<readonly [string, StreamRevision]>): void {
    for (const [stream, revision] of revisions) {
      if ((this.revisions.get(stream) ?? -1) > revision) continue;
      this.revisions.delete(stream); // re-insert: Map order is the recency order
      this.revisions.set(stream, revision);
    }
    for (const oldest of this.revisions.keys()) {
      if (this.revisions.size <= this.maxStreams) break;
      this.revisions.delete(oldest);
    }
  }
}
