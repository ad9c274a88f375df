import { dirname, join } from 'node:path';
import { z } from 'zod';
// The adapter's own rule, from a file without imports (the driver is not loaded).
import { SCHEMA_NAME, SCHEMA_NAME_RULE } from '@civic/event-store-postgres/schema/schema-name';

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
  DATABASE_SCHEMA: z.string().regex(SCHEMA_NAME, `must be ${SCHEMA_NAME_RULE}`).default('civic_ledger'),
  EVENTSTOREDB_URL: z
    .string()
    .refine((u) => /^(esdb|kurrentdb|kurrent)(\+discover)?:\/\//.test(u), 'must be an esdb:// (or kurrentdb://) connection string')
    .optional(),
  READ_MODEL_PATH: z.string().min(1).optional(),
  PERSONAL_DATA_PATH: z.string().min(1).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUDIT_SIGNING_KEY: z.string().min(40, 'must be an Ed25519 private key, PKCS#8 PEM or base64 DER').optional(),
  AUDIT_CHECKPOINT_INTERVAL: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  KEY_MASTER_SECRET: z.string().min(43, 'must be at least 32 bytes, base64-encoded (43+ characters)').optional(),
  GRAPHQL_INTROSPECTION: z.enum(['true', 'false']).optional(),
  SEED_DEMO: z.enum(['true', 'false']).optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(6000),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

type Parsed = z.infer<typeof schema>;

/** The validated configuration, with the settings that default from others resolved. */
export type AppConfig = Readonly<
  Omit<Parsed, 'READ_MODEL_PATH' | 'PERSONAL_DATA_PATH' | 'GRAPHQL_INTROSPECTION' | 'SEED_DEMO'> & {
    SEED_DEMO: boolean;
    READ_MODEL_PATH: string;
    PERSONAL_DATA_PATH: string;
    GRAPHQL_INTROSPECTION: boolean;
  }
>;

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
  const parsedConfig = parsed.data;
  if (parsedConfig.EVENT_STORE === 'eventstoredb' && !parsedConfig.EVENTSTOREDB_URL) {
    throw new ConfigError(['EVENTSTOREDB_URL: required when EVENT_STORE=eventstoredb (e.g. esdb://localhost:2113?tls=false)']);
  }
  if (parsedConfig.NODE_ENV === 'production') {
    const missing = [
      !parsedConfig.JWT_SECRET && 'JWT_SECRET: required when NODE_ENV=production (at least 32 random characters)',
      !parsedConfig.KEY_MASTER_SECRET && 'KEY_MASTER_SECRET: required when NODE_ENV=production (32+ random bytes, base64)',
      !parsedConfig.AUDIT_SIGNING_KEY && 'AUDIT_SIGNING_KEY: required when NODE_ENV=production (an Ed25519 private key, PKCS#8 PEM)',
    ].filter((m): m is string => typeof m === 'string');
    if (missing.length > 0) throw new ConfigError(missing);
  }
  return Object.freeze({
    ...parsedConfig,
    READ_MODEL_PATH: parsedConfig.READ_MODEL_PATH ?? join(dirname(parsedConfig.SQLITE_PATH), 'read-models.sqlite'),
    PERSONAL_DATA_PATH: parsedConfig.PERSONAL_DATA_PATH ?? join(dirname(parsedConfig.SQLITE_PATH), 'personal-data-keys.sqlite'),
    SEED_DEMO: (parsedConfig.SEED_DEMO ?? String(parsedConfig.NODE_ENV === 'development')) === 'true',
    GRAPHQL_INTROSPECTION: (parsedConfig.GRAPHQL_INTROSPECTION ?? String(parsedConfig.NODE_ENV !== 'production')) === 'true',
  });
}

/** The table of settings, for the README and `--help`. */
export const CONFIG_KEYS = Object.keys(schema.shape) as (keyof AppConfig)[];
