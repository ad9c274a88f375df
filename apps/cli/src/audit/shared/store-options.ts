import { loadConfig, type AppConfig } from '@civic/config';
import { SCHEMA_NAME, SCHEMA_NAME_RULE } from '@civic/event-store-postgres/schema/schema-name';
import { UsageError } from '../../cli-error';

/** The options every audit command takes to find the history, defaulting from the configuration. */
export const STORE_OPTIONS = {
  store: { type: 'string' },
  'sqlite-path': { type: 'string' },
  'database-url': { type: 'string' },
  schema: { type: 'string' },
  'eventstoredb-url': { type: 'string' },
  'eventstoredb-namespace': { type: 'string' },
} as const;

/** The store options as they appear in every command's usage. */
export const STORE_USAGE =
  '[--store sqlite|postgres|eventstoredb] [--sqlite-path FILE] [--database-url URL] [--schema NAME] [--eventstoredb-url URL] [--eventstoredb-namespace PREFIX]';

export type StoreChoice =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly connectionString: string; readonly schema: string }
  | { readonly kind: 'eventstoredb'; readonly connectionString: string; readonly namespace: string | undefined };

export { UsageError };

type StoreValues = { [K in keyof typeof STORE_OPTIONS]?: string };

// As the configuration checks EVENTSTOREDB_URL (libs/config), and the adapter a namespace.
const EVENTSTOREDB_URL = /^(esdb|kurrentdb|kurrent)(\+discover)?:\/\//;
const NAMESPACE = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Which store to read: the options first, then the configuration (EVENT_STORE, SQLITE_PATH,
 * DATABASE_URL, DATABASE_SCHEMA, EVENTSTOREDB_URL). The configuration is read only for what
 * the options leave out.
 */
export function storeChoice(values: StoreValues, env: NodeJS.ProcessEnv = process.env): StoreChoice {
  let loaded: AppConfig | undefined;
  const config = () => (loaded ??= loadConfig(env));
  const kind = values.store ?? config().EVENT_STORE;
  switch (kind) {
    case 'sqlite':
      return { kind, path: values['sqlite-path'] ?? config().SQLITE_PATH };
    case 'postgres': {
      if (values.schema !== undefined && !SCHEMA_NAME.test(values.schema))
        throw new UsageError(`--schema must be ${SCHEMA_NAME_RULE}, got "${values.schema}"`);
      return { kind, connectionString: values['database-url'] ?? config().DATABASE_URL, schema: values.schema ?? config().DATABASE_SCHEMA };
    }
    case 'eventstoredb': {
      const connectionString = values['eventstoredb-url'] ?? config().EVENTSTOREDB_URL;
      if (!connectionString)
        throw new UsageError(
          '--store eventstoredb needs --eventstoredb-url URL (or EVENTSTOREDB_URL), e.g. esdb://localhost:2113?tls=false',
        );
      if (!EVENTSTOREDB_URL.test(connectionString))
        throw new UsageError(`--eventstoredb-url must be an esdb:// (or kurrentdb://) connection string, got "${connectionString}"`);
      const namespace = values['eventstoredb-namespace'];
      if (namespace !== undefined && !NAMESPACE.test(namespace))
        throw new UsageError(`--eventstoredb-namespace must be letters, digits and _, starting with a letter, got "${namespace}"`);
      return { kind, connectionString, namespace };
    }
    default:
      throw new UsageError(`--store must be sqlite, postgres or eventstoredb, got "${kind}"`);
  }
}
