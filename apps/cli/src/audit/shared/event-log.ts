import { existsSync } from 'node:fs';
import type { EventStore, JsonObject, JsonValue, Position, RecordedEvent, Start } from '@civic/event-store';
import { openPortStore } from './open-store';
import { UsageError, type StoreChoice } from './store-options';

/** The global order, page by page, as replay, recompute and export read it. */
export interface EventLog {
  /** For messages: the file or schema read. */
  readonly description: string;
  /** How many events there are (of some stream categories only, if given), for progress; undefined when the store cannot tell cheaply. */
  total(categories?: readonly string[]): Promise<number | undefined>;
  /** Every event (of some stream categories only, if given) in global order. */
  pages(options?: { categories?: readonly string[] }): AsyncIterable<RecordedEvent[]>;
  close(): Promise<void>;
}

const PAGE = 2000;

/**
 * Opens a history for reading: SQLite read-only and directly (as `verify` does, so the evidence
 * is never migrated or switched to WAL), PostgreSQL and EventStoreDB through the store's port.
 */
export async function openEventLog(choice: StoreChoice): Promise<EventLog> {
  switch (choice.kind) {
    case 'sqlite':
      if (!existsSync(choice.path)) throw new UsageError(`No SQLite event store at ${choice.path}`);
      return sqliteLog(choice.path);
    case 'postgres':
    case 'eventstoredb': {
      const { store, description } = await openPortStore(choice);
      return storeLog(store, description);
    }
  }
}

type Row = [number, string, string, number, string, string, string, string];
const COLUMNS = 'position, event_id, stream_name, revision, type, data, metadata, recorded_at';

const inCategories = (categories: readonly string[] | undefined) =>
  categories ? `AND stream_category IN (${categories.map(() => '?').join(',')})` : '';

async function sqliteLog(path: string): Promise<EventLog> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const toEvent = ([position, id, streamName, revision, type, data, metadata, recordedAt]: Row): RecordedEvent => ({
    position: String(position),
    id,
    streamName,
    revision,
    type,
    data: JSON.parse(data) as JsonValue,
    metadata: JSON.parse(metadata) as JsonObject,
    recordedAt,
  });
  return {
    description: path,
    total: async (categories) =>
      db
        .prepare(`SELECT count(*) FROM events WHERE true ${inCategories(categories)}`)
        .pluck()
        .get(...(categories ?? [])) as number,
    async *pages(options = {}) {
      const categories = options.categories;
      const where = inCategories(categories);
      const statement = db.prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? ${where} ORDER BY position LIMIT ${PAGE}`).raw();
      for (let after = 0; ;) {
        const rows = statement.all(after, ...(categories ?? [])) as Row[];
        if (rows.length > 0) yield rows.map(toEvent);
        if (rows.length < PAGE) return;
        after = rows[rows.length - 1][0];
      }
    },
    close: async () => void db.close(),
  };
}

/** Any store through the port: `readAll` pages. */
export function storeLog(store: EventStore, description: string): EventLog {
  return {
    description,
    total: async () => undefined,
    async *pages(options = {}) {
      const filter = options.categories ? { streamCategories: options.categories } : undefined;
      for (let after: Position | Start = 'start'; ;) {
        const page = await store.readAll({ after, maxCount: PAGE, filter });
        if (page.length > 0) yield page;
        if (page.length < PAGE) return;
        after = page[page.length - 1].position;
      }
    },
    close: () => store.close(),
  };
}
