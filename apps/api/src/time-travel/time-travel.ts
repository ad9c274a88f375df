import { Inject, Injectable } from '@nestjs/common';
import type { EventStore, Position, RecordedEvent, Start } from '@civic/event-store';
import { ReadModelDatabase } from '@civic/projections';
import { ApiError } from '../errors/api-error';
import { PROJECTIONS } from '@civic/read-models';
import { EVENT_STORE } from '../tokens';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const PAGE = 1000;
const CACHED = 4;

/**
 * The read models as they stood at an earlier point of the history: `asOf` is a global
 * position (everything up to and including that event) or an ISO time (everything recorded
 * up to then). Built by replaying the log from zero into an in-memory read-model database with
 * the same projections as the live one, so an answer "as of" now equals the live answer.
 * The last few are kept, since a client browsing history asks about the same point repeatedly.
 */
@Injectable()
export class TimeTravel {
  private readonly cache = new Map<string, Promise<ReadModelDatabase>>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  at(asOf: string): Promise<ReadModelDatabase> {
    const key = asOf.trim();
    let snapshot = this.cache.get(key);
    if (!snapshot) {
      snapshot = this.replay(key);
      this.cache.set(key, snapshot);
      snapshot.catch(() => this.cache.delete(key));
      if (this.cache.size > CACHED) {
        const oldest = this.cache.keys().next().value as string;
        void this.cache.get(oldest)?.then(
          (db) => db.close(),
          () => undefined,
        );
        this.cache.delete(oldest);
      }
    }
    return snapshot;
  }

  private async replay(asOf: string): Promise<ReadModelDatabase> {
    const byTime = ISO_TIME.test(asOf);
    if (byTime && Number.isNaN(Date.parse(asOf))) throw new ApiError('INPUT.INVALID', 'asOf is not a valid time.');
    const until = byTime ? new Date(asOf).toISOString() : undefined;
    const readModels = ReadModelDatabase.open(':memory:', PROJECTIONS);
    const projections = PROJECTIONS.map((p) => ({ p, types: p.eventTypes ? new Set(p.eventTypes) : undefined }));
    const fold = readModels.db.transaction((events: readonly RecordedEvent[]) => {
      for (const event of events)
        for (const { p, types } of projections) if (!types || types.has(event.type)) p.apply(readModels.db, event);
    });
    let after: Position | Start = 'start';
    for (;;) {
      const page = await this.store.readAll({ after, maxCount: PAGE });
      const end = until ? page.findIndex((e) => e.recordedAt > until) : page.findIndex((e) => e.position === asOf) + 1;
      const take = end > 0 || (until && end === 0) ? page.slice(0, end) : page;
      if (take.length > 0) fold(take);
      if ((until && end >= 0) || (!until && end > 0)) return readModels;
      if (page.length < PAGE) break;
      after = page[page.length - 1].position;
    }
    if (until) return readModels; // a time after the last event: the history as it is
    readModels.close();
    throw new ApiError('NOT_FOUND', 'asOf is neither a position of this history nor an ISO time.');
  }
}
