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
  /** One per request: a result per part of it, or the error of its first failing part. */
  readonly outcomes: Outcome<PlannedResult[]>[];
}

/** Marks a place written earlier in the same batch, whose position the insert will tell. */
const PENDING = '';

/**
 * Decides every request of a batch in order with the shared rules (`decideAppend`), as if
 * each ran alone after the ones before it: later requests see the revisions and ids of
 * earlier ones in the same batch. A request is one append, or the parts of one multi-stream
 * append, each part seeing the parts before it; a request with a failing part contributes no
 * rows at all, so it needs no savepoint: nothing of it ever reaches the database.
 */
export function planBatch(batch: readonly (readonly PreparedAppend[])[], state: AppendState): BatchPlan {
  const revisions = new Map(state.revisions);
  const written = new Map<string, RecordedPlace>();
  const rows: PlannedRow[] = [];
  const outcomes = batch.map((parts, request): Outcome<PlannedResult[]> => {
    // What this request writes, kept apart until every part of it holds.
    const ownRevisions = new Map<string, StreamRevision>();
    const ownWritten = new Map<string, RecordedPlace>();
    const ownRows: PlannedRow[] = [];
    try {
      const results = parts.map((req): PlannedResult => {
        const recorded = new Map<string, RecordedPlace>();
        for (const e of req.events) {
          const place = ownWritten.get(e.id) ?? written.get(e.id) ?? state.recorded.get(e.id);
          if (place) recorded.set(e.id, place);
        }
        const lastEventId = req.events[req.events.length - 1].id;
        const current = ownRevisions.get(req.streamName) ?? revisions.get(req.streamName) ?? NO_STREAM_REVISION;
        const decision = decideAppend(req, current, recorded);
        if (decision.kind === 'idempotent') {
          const { nextExpectedRevision, position } = decision.result;
          return { nextExpectedRevision, lastEventId, position: position === PENDING ? undefined : position };
        }
        const category = streamCategory(req.streamName);
        req.events.forEach((e, i) => {
          const revision = decision.firstRevision + i;
          ownRows.push({
            request,
            eventId: e.id,
            streamName: req.streamName,
            category,
            revision,
            type: e.type,
            dataJson: e.dataJson,
            metadataJson: e.metadataJson,
          });
          ownWritten.set(e.id, { streamName: req.streamName, revision, position: PENDING });
        });
        const nextExpectedRevision = decision.firstRevision + req.events.length - 1;
        ownRevisions.set(req.streamName, nextExpectedRevision);
        return { nextExpectedRevision, lastEventId };
      });
      for (const row of ownRows) rows.push(row);
      for (const [id, place] of ownWritten) written.set(id, place);
      for (const [stream, revision] of ownRevisions) revisions.set(stream, revision);
      return { ok: true, value: results };
    } catch (error) {
      return { ok: false, error };
    }
  });
  return { rows, outcomes };
}
