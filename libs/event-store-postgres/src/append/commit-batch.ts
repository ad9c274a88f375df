import { StoreUnavailableError, type AppendResult, type Outcome, type PreparedAppend } from '@civic/event-store';
import type { Queryable } from '../queryable';
import { chunkRows } from './chunk-rows';
import { insertEvents } from './insert-events';
import { planBatch, type AppendState, type BatchPlan } from './plan-batch';
import { readAppendState } from './read-append-state';
import type { RevisionCache } from './revision-cache';

/** How often a batch is decided again after losing a race to another node. */
const MAX_ATTEMPTS = 10;
const UNIQUE_VIOLATION = '23505';

export interface CommitContext {
  readonly db: Queryable;
  /** The quoted schema. */
  readonly s: string;
  readonly channel: string;
  readonly now: () => Date;
  readonly cache: RevisionCache;
}

/**
 * Commits one group-commit batch: decide every request in TypeScript with the shared rules,
 * then insert the rows of those that succeed in one statement, so one round trip and one commit.
 *
 * Deciding first on a guess (the revisions this process last committed) is safe because of the
 * unique indexes on (stream_name, revision) and event_id: revisions only grow and are dense, so
 * if the guess was stale, a row we write collides with one already there, the statement rolls
 * back whole, and we decide again on state read from the database. A guess that rejects a
 * request is never trusted: the batch is decided again on state read fresh.
 *
 * The same holds between API nodes: nothing is locked while deciding, and the loser of a race
 * gets its WrongExpectedVersion (or its idempotent success) as if it had come second.
 */
export async function commitBatch(ctx: CommitContext, batch: readonly (readonly PreparedAppend[])[]): Promise<Outcome<AppendResult[]>[]> {
  const parts = batch.flat();
  let state: AppendState = ctx.cache.guess(parts);
  let fresh = false;
  const readFresh = async () => {
    state = await readAppendState(ctx.db, ctx.s, parts);
    ctx.cache.learn(state.revisions);
    fresh = true;
  };
  for (let attempt = 1; ; attempt++) {
    const plan = planBatch(batch, state);
    if (!fresh && plan.outcomes.some((o) => !o.ok)) {
      await readFresh();
      continue;
    }
    const positions = new Map<string, string>();
    if (plan.rows.length > 0) {
      try {
        // Usually one chunk. If a later one loses a race, the earlier ones are committed: deciding
        // again on fresh state finds their events recorded and answers them as retries.
        for (const chunk of chunkRows(plan.rows)) {
          for (const [id, position] of await insertEvents(ctx.db, ctx.s, ctx.channel, chunk, ctx.now().toISOString())) {
            positions.set(id, position);
          }
        }
      } catch (err) {
        if ((err as { code?: string }).code !== UNIQUE_VIOLATION || attempt >= MAX_ATTEMPTS) throw err;
        await readFresh();
        continue;
      }
      ctx.cache.learn(lastRevisions(plan));
    }
    return plan.outcomes.map((o): Outcome<AppendResult[]> => {
      if (!o.ok) return o;
      const results: AppendResult[] = [];
      for (const part of o.value) {
        const position = part.position ?? positions.get(part.lastEventId);
        if (position === undefined) {
          return { ok: false, error: new StoreUnavailableError(`No position was returned for event ${part.lastEventId}`) };
        }
        results.push({ nextExpectedRevision: part.nextExpectedRevision, position });
      }
      return { ok: true, value: results };
    });
  }
}

function lastRevisions(plan: BatchPlan): Map<string, number> {
  const last = new Map<string, number>();
  for (const row of plan.rows) last.set(row.streamName, row.revision);
  return last;
}
