import { z } from 'zod';

/**
 * Every setting the platform reads, validated once at boot. Nothing else reads `process.env`.
 * A bad value stops the start with a message naming the variable.
 */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  EVENT_STORE: z.enum(['sqlite', 'postgres', 'eventstoredb']).default('sqlite'),
  SQLITE_PATH: z.string().min(1).default('./data/civic-ledger.sqlite'),
  DATABASE_URL: z
    .string()
    .url()
    .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must be a postgres:// or postgresql:// URL')
    .default('postgres://postgres@127.0.0.1:5432/test'),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .default('civic_ledger'),
  EVENTSTOREDB_URL: z
    .string()
    .refine((u) => /^(esdb|kurrentdb|kurrent)(\+discover)?:\/\//.test(u), 'must be an esdb:// (or kurrentdb://) connection string')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type AppConfig = Readonly<z.infer<typeof schema>>;

/** Thrown when a setting is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration from an environment (process.env at boot). */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  // An empty variable means "unset", as shells and compose files often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.')}=${JSON.stringify(env[String(i.path[0])] ?? '')}: ${i.message}`),
    );
  }
  const config = parsed.data;
  if (config.EVENT_STORE === 'eventstoredb' && !config.EVENTSTOREDB_URL) {
    throw new ConfigError(['EVENTSTOREDB_URL: required when EVENT_STORE=eventstoredb (e.g. esdb://localhost:2113?tls=false)']);
  }
  return Object.freeze(config);
}

/** The table of settings, for the README and `--help`. */
export const CONFIG_KEYS = Object.keys(schema.shape) as (keyof AppConfig)[];
