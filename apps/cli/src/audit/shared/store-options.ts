import { loadConfig } from '@civic/config';

/** The options every audit command takes to find the history, defaulting from the configuration. */
export const STORE_OPTIONS = {
  store: { type: 'string' },
  'sqlite-path': { type: 'string' },
  'database-url': { type: 'string' },
  schema: { type: 'string' },
} as const;

export type StoreChoice =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly connectionString: string; readonly schema: string };

export class UsageError extends Error {
  readonly code = 'CLI.USAGE';
}

/** Which store to read: the options first, then the configuration (EVENT_STORE, SQLITE_PATH, DATABASE_URL, DATABASE_SCHEMA). */
export function storeChoice(values: { store?: string; 'sqlite-path'?: string; 'database-url'?: string; schema?: string }): StoreChoice {
  const config = loadConfig(process.env);
  const kind = values.store ?? config.EVENT_STORE;
  switch (kind) {
    case 'sqlite':
      return { kind, path: values['sqlite-path'] ?? config.SQLITE_PATH };
    case 'postgres':
      return { kind, connectionString: values['database-url'] ?? config.DATABASE_URL, schema: values.schema ?? config.DATABASE_SCHEMA };
    default:
      throw new UsageError(`--store must be sqlite or postgres, got "${kind}"`);
  }
}
