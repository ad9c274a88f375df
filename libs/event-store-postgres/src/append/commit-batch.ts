import { StoreUnavailableError, type AppendResult, type Outcome, type PreparedAppend } from '@civic/event-store';
import type { Queryable } from '../queryable';
import { insertEvents } from './insert-events';
import { planBatch } from './plan-batch';
import { readAppendState } from './read-append-state';

/** How often a batch is decided again after losing a race to another node. */
const MAX_ATTEMPTS = 10;
const UNIQUE_VIOLATION = '23505';

export interface CommitContext {
  readonly db: Queryable;
  /** The quoted schema. */
  readonly s: string;
  readonly channel: string;
  readonly now: () => Date;
}

/**
 * Commits one group-commit batch: read state, decide every request in TypeScript with the
 * shared rules, insert the rows of those that succeed in one statement.
 *
 * Concurrency between API nodes: nothing is locked while deciding. If another node commits to
 * the same stream revision or the same event id in between, our insert hits a unique index and
 * rolls back whole; we then read and decide again, so the loser of the race gets its
 * WrongExpectedVersion (or its idempotent success) exactly as if it had come second.
 */
export async function commitBatch(ctx: CommitContext, batch: readonly PreparedAppend[]): Promise<Outcome<AppendResult>[]> {
  for (let attempt = 1; ; attempt++) {
    const plan = planBatch(batch, await readAppendState(ctx.db, ctx.s, batch));
    let positions = new Map<string, string>();
    if (plan.rows.length > 0) {
      try {
        positions = await insertEvents(ctx.db, ctx.s, ctx.channel, plan.rows, ctx.now().toISOString());
      } catch (err) {
        if ((err as { code?: string }).code === UNIQUE_VIOLATION && attempt < MAX_ATTEMPTS) continue;
        throw err;
      }
    }
    return plan.outcomes.map((o): Outcome<AppendResult> => {
      if (!o.ok) return o;
      const position = o.value.position ?? positions.get(o.value.lastEventId);
      if (position === undefined) {
        return { ok: false, error: new StoreUnavailableError(`No position was returned for event ${o.value.lastEventId}`) };
      }
      return { ok: true, value: { nextExpectedRevision: o.value.nextExpectedRevision, position } };
    });
  }
}
