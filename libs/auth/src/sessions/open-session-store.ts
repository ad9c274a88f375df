import type { AppConfig } from '@civic/config';
import type { SessionStore } from './session-store.port';
import { SqliteSessionStore } from './sqlite-session-store';

/** The session store the configuration names; the PostgreSQL client is loaded only when used. */
export async function openSessionStore(config: AppConfig): Promise<SessionStore> {
  switch (config.SESSION_STORE) {
    case 'sqlite':
      return new SqliteSessionStore({ path: config.SESSIONS_PATH });
    case 'postgres': {
      const { PostgresSessionStore } = await import('./postgres-session-store');
      return new PostgresSessionStore({ connectionString: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
    }
    default: {
      const unknown: never = config.SESSION_STORE;
      throw new Error(`unknown session store ${String(unknown)}`);
    }
  }
}
