import type { AppConfig } from '@civic/config';
import { SqliteWebSessionRecords } from './sqlite-web-session-records';
import { type SessionTimes, WebSessionStore } from './web-session';

/**
 * The web sessions where the configuration keeps the API's: a node's own SQLite file at `path`
 * (`SESSION_STORE=sqlite`), or PostgreSQL's `DATABASE_SCHEMA`, shared by every node (`SESSION_STORE=postgres`).
 */
export async function openWebSessions(
  config: Pick<AppConfig, 'SESSION_STORE' | 'DATABASE_URL' | 'DATABASE_SCHEMA'>,
  path: string,
  times: SessionTimes,
  now?: () => number,
): Promise<WebSessionStore> {
  switch (config.SESSION_STORE) {
    case 'sqlite':
      return new WebSessionStore(new SqliteWebSessionRecords(path), times, now);
    case 'postgres': {
      // The PostgreSQL client is loaded only when used.
      const { PostgresWebSessionRecords } = await import('./postgres-web-session-records');
      const records = new PostgresWebSessionRecords({ connectionString: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
      await records.whenReady().catch(async (err) => {
        await records.close();
        throw err;
      });
      return new WebSessionStore(records, times, now);
    }
    default: {
      const unknown: never = config.SESSION_STORE;
      throw new Error(`unknown session store ${String(unknown)}`);
    }
  }
}
