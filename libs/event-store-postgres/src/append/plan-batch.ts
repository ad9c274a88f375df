import {
  decideAppend,
  NO_STREAM_REVISION,
  streamCategory,
  type Outcome,
  type PreparedAppend,
  type RecordedPlace,
  type StreamRevision,
} from '@civic/event-store';

/** What the database held before the batch: each stream's last revision, and where any requested ids were recorded. */
export interface AppendState {
  readonly revisions: ReadonlyMap<string, StreamRevision>;
  readonly recorded: ReadonlyMap<string, RecordedPlace>;
}

/** One row to insert, in insertion (and so global) order. */
export interface PlannedRow {
  /** The index in the batch of the request the row belongs to. */
  readonly request: number;
  readonly eventId: string;
  readonly streamName: string;
  readonly category: string;
  readonly revision: StreamRevision;
  readonly type: string;
  readonly dataJson: string;
  readonly metadataJson: string;
}

/** A request's success before its position is known: the position of `lastEventId` once written. */
export interface PlannedResult {
  readonly nextExpectedRevision: StreamRevision;
  readonly lastEventId: string;
  /** Known already for a retry of events recorded before this batch. */
  readonly position?: string;
}

export interface BatchPlan {
  readonly rows: PlannedRow[];
  readonly outcomes: Outcome<PlannedResult>[];
}

/** Marks a place written earlier in the same batch, whose position the insert will tell. */
const PENDING = '';

/**
 * Decides every request of a batch in order with the shared rules (`decideAppend`), as if
 * each ran alone after the ones before it: later requests see the revisions and ids of
 * earlier ones in the same batch. A rejected request contributes no rows, so it needs no
 * savepoint: nothing of it ever reaches the database.
 */
export function planBatch(batch: readonly PreparedAppend[], state: AppendState): BatchPlan {
  const revisions = new Map(state.revisions);
  const written = new Map<string, RecordedPlace>();
  const rows: PlannedRow[] = [];
  const outcomes = batch.map((req, request): Outcome<PlannedResult> => {
    const recorded = new Map<string, RecordedPlace>();
    for (const e of req.events) {
      const place = written.get(e.id) ?? state.recorded.get(e.id);
      if (place) recorded.set(e.id, place);
    }
    const lastEventId = req.events[req.events.length - 1].id;
    try {
      const decision = decideAppend(req, revisions.get(req.streamName) ?? NO_STREAM_REVISION, recorded);
      if (decision.kind === 'idempotent') {
        const { nextExpectedRevision, position } = decision.result;
        return { ok: true, value: { nextExpectedRevision, lastEventId, position: position === PENDING ? undefined : position } };
      }
      const category = streamCategory(req.streamName);
      req.events.forEach((e, i) => {
        const revision = decision.firstRevision + i;
        rows.push({
          request,
          eventId: e.id,
          streamName: req.streamName,
          category,
          revision,
          type: e.type,
          dataJson: e.dataJson,
          metadataJson: e.metadataJson,
        });
        written.set(e.id, { streamName: req.streamName, revision, position: PENDING });
      });
      const nextExpectedRevision = decision.firstRevision + req.events.length - 1;
      revisions.set(req.streamName, nextExpectedRevision);
      return { ok: true, value: { nextExpectedRevision, lastEventId } };
    } catch (error) {
      return { ok: false, error };
    }
  });
  return { rows, outcomes };
}
