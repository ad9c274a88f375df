import { dirname, join } from 'node:path';
import { z } from 'zod';
// The adapter's own rule, from a file without imports (the driver is not loaded).
import { SCHEMA_NAME, SCHEMA_NAME_RULE } from '@civic/event-store-postgres/schema/schema-name';

/** The roles a staff sign-in may map to (never `resident`). */
export const STAFF_ROLES = ['reviewer', 'councillor', 'administrator', 'auditor'] as const;
const ROLE_MAP = /^\s*[a-z]+\s*=[^,=]+(,\s*[a-z]+\s*=[^,=]+)*$/;

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
  /** The secret JWT_SECRET replaced, while what it signed is still in use: it verifies and opens, never signs or seals. */
  JWT_SECRET_PREVIOUS: z.string().min(32, 'must be at least 32 characters').optional(),
  AUDIT_SIGNING_KEY: z.string().min(40, 'must be an Ed25519 private key, PKCS#8 PEM or base64 DER').optional(),
  AUDIT_CHECKPOINT_INTERVAL: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  AUDIT_CHECKPOINT_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  AUDIT_INDEX_PATH: z.string().min(1).optional(),
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
  TIME_TRAVEL_SNAPSHOT_EVERY: z.coerce.number().int().min(100).max(10_000_000).default(5000),
  TIME_TRAVEL_CACHE: z.coerce.number().int().min(1).max(1000).default(8),
  TIME_TRAVEL_CACHE_MB: z.coerce.number().int().min(1).max(65_536).default(256),
  TIME_TRAVEL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  SESSION_STORE: z.enum(['sqlite', 'postgres']).optional(),
  VAULT_STORE: z.enum(['sqlite', 'postgres']).optional(),
  RATE_LIMIT_STORE: z.enum(['memory', 'postgres']).optional(),
  VAULT_DATABASE_URL: z
    .string()
    .url()
    .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  VAULT_SCHEMA: z.string().regex(SCHEMA_NAME, `must be ${SCHEMA_NAME_RULE}`).optional(),
  SESSIONS_PATH: z.string().min(1).optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(8),
  OIDC_STAFF_ISSUER: z.string().url().optional(),
  OIDC_STAFF_CLIENT_ID: z.string().min(1).optional(),
  OIDC_STAFF_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_STAFF_REDIRECT_URI: z.string().url().optional(),
  OIDC_STAFF_SCOPES: z.string().min(1).default('openid profile email'),
  OIDC_STAFF_ROLE_CLAIM: z.string().min(1).default('groups'),
  OIDC_STAFF_ROLES: z
    .string()
    .regex(ROLE_MAP, 'must be role=claim value pairs, comma-separated, e.g. administrator=pb-admins,reviewer=pb-officers')
    .refine(
      (v) => v.split(',').every((pair) => (STAFF_ROLES as readonly string[]).includes(pair.split('=')[0].trim())),
      `roles must be one of ${['reviewer', 'councillor', 'administrator', 'auditor'].join(', ')}`,
    )
    .optional(),
  OIDC_STAFF_AUDIENCE: z.string().min(1).optional(),
  OIDC_STAFF_RETURN_URL: z.string().url().optional(),
  OIDC_RESIDENT_ISSUER: z.string().url().optional(),
  OIDC_RESIDENT_CLIENT_ID: z.string().min(1).optional(),
  OIDC_RESIDENT_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_RESIDENT_REDIRECT_URI: z.string().url().optional(),
  OIDC_RESIDENT_SCOPES: z.string().min(1).default('openid'),
  OIDC_RESIDENT_REFERENCE_CLAIM: z.string().min(1).optional(),
  OIDC_RESIDENT_RETURN_URL: z.string().url().optional(),
  OIDC_JWKS_COOLDOWN_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  OIDC_JWKS_CACHE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  RESIDENT_SIGN_IN_EMAIL_CODE: z.enum(['true', 'false']).optional(),
  SIGN_IN_CODE_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(5),
  SIGN_IN_CODE_PER_CLIENT_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(30),
  RESIDENT_SIGN_IN_POLL_CARD: z.enum(['true', 'false']).optional(),
  PERSONAL_DATA_EXPORTERS: z
    .string()
    .regex(/^[^,\s]+(\s*,\s*[^,\s]+)*$/, 'must be staff ids, comma-separated')
    .optional(),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_SECURE: z.enum(['true', 'false']).default('false'),
  SMTP_REQUIRE_TLS: z.enum(['true', 'false']).default('true'),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  SMTP_FROM: z.string().min(3).optional(),
  /** The residents' web address printed on letters and ballot forms. */
  PUBLIC_WEB_ADDRESS: z.string().min(3).max(200).default('http://localhost:3000'),
  NOTIFICATIONS_EMAIL: z.enum(['true', 'false']).optional(),
  NOTIFICATIONS_STORE: z.enum(['sqlite', 'postgres']).optional(),
  NOTIFICATIONS_PATH: z.string().min(1).optional(),
  NOTIFICATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  NOTIFICATION_REMINDER_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 14)
    .default(24),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

type Parsed = z.infer<typeof schema>;

/** The validated configuration, with the settings that default from others resolved. */
export type AppConfig = Readonly<
  Omit<
    Parsed,
    | 'READ_MODEL_PATH'
    | 'PERSONAL_DATA_PATH'
    | 'AUDIT_INDEX_PATH'
    | 'GRAPHQL_INTROSPECTION'
    | 'SEED_DEMO'
    | 'SESSION_STORE'
    | 'VAULT_STORE'
    | 'RATE_LIMIT_STORE'
    | 'VAULT_DATABASE_URL'
    | 'VAULT_SCHEMA'
    | 'SESSIONS_PATH'
    | 'OIDC_STAFF_ROLES'
    | 'RESIDENT_SIGN_IN_EMAIL_CODE'
    | 'RESIDENT_SIGN_IN_POLL_CARD'
    | 'PERSONAL_DATA_EXPORTERS'
    | 'SMTP_SECURE'
    | 'SMTP_REQUIRE_TLS'
    | 'NOTIFICATIONS_EMAIL'
    | 'NOTIFICATIONS_STORE'
    | 'NOTIFICATIONS_PATH'
  > & {
    /** E-mail notifications (proposal decisions, voting, receipts): on by default when SMTP is configured. */
    NOTIFICATIONS_EMAIL: boolean;
    /** Where the notification outbox lives: `sqlite` (NOTIFICATIONS_PATH, one node) or `postgres` (shared by every node). */
    NOTIFICATIONS_STORE: 'sqlite' | 'postgres';
    NOTIFICATIONS_PATH: string;
    RESIDENT_SIGN_IN_EMAIL_CODE: boolean;
    RESIDENT_SIGN_IN_POLL_CARD: boolean;
    /** Staff ids who may open residents' personal data for letters and mailing lists (nobody by default). */
    PERSONAL_DATA_EXPORTERS: readonly string[];
    SMTP_SECURE: boolean;
    SMTP_REQUIRE_TLS: boolean;
    SEED_DEMO: boolean;
    READ_MODEL_PATH: string;
    AUDIT_INDEX_PATH: string;
    PERSONAL_DATA_PATH: string;
    GRAPHQL_INTROSPECTION: boolean;
    SESSION_STORE: 'sqlite' | 'postgres';
    /** Where residents' keys live: `sqlite` (PERSONAL_DATA_PATH, one node) or `postgres` (VAULT_SCHEMA, shared by every node). */
    VAULT_STORE: 'sqlite' | 'postgres';
    /** Where rate-limit counters live: `memory` (this node's) or `postgres` (one table shared by every node). */
    RATE_LIMIT_STORE: 'memory' | 'postgres';
    VAULT_DATABASE_URL: string;
    VAULT_SCHEMA: string;
    SESSIONS_PATH: string;
    /** Staff OpenID Connect, when `OIDC_STAFF_ISSUER` is set: which claim value gives which role, in order of precedence. */
    OIDC_STAFF_ROLES: readonly { readonly role: (typeof STAFF_ROLES)[number]; readonly value: string }[];
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
  if (parsedConfig.OIDC_STAFF_ISSUER) {
    const missing = (['OIDC_STAFF_CLIENT_ID', 'OIDC_STAFF_CLIENT_SECRET', 'OIDC_STAFF_REDIRECT_URI', 'OIDC_STAFF_ROLES'] as const)
      .filter((key) => !parsedConfig[key])
      .map((key) => `${key}: required when OIDC_STAFF_ISSUER is set`);
    if (missing.length > 0) throw new ConfigError(missing);
  }
  if (parsedConfig.OIDC_RESIDENT_ISSUER) {
    const missing = (
      ['OIDC_RESIDENT_CLIENT_ID', 'OIDC_RESIDENT_CLIENT_SECRET', 'OIDC_RESIDENT_REDIRECT_URI', 'OIDC_RESIDENT_REFERENCE_CLAIM'] as const
    )
      .filter((key) => !parsedConfig[key])
      .map((key) => `${key}: required when OIDC_RESIDENT_ISSUER is set`);
    if (missing.length > 0) throw new ConfigError(missing);
  }
  if (parsedConfig.RESIDENT_SIGN_IN_EMAIL_CODE === 'true') {
    const missing = (['SMTP_HOST', 'SMTP_FROM'] as const)
      .filter((key) => !parsedConfig[key])
      .map((key) => `${key}: required when RESIDENT_SIGN_IN_EMAIL_CODE=true`);
    if (missing.length > 0) throw new ConfigError(missing);
  }
  if (parsedConfig.NOTIFICATIONS_EMAIL === 'true') {
    const missing = (['SMTP_HOST', 'SMTP_FROM'] as const)
      .filter((key) => !parsedConfig[key])
      .map((key) => `${key}: required when NOTIFICATIONS_EMAIL=true`);
    if (missing.length > 0) throw new ConfigError(missing);
  }
  if (parsedConfig.JWT_SECRET_PREVIOUS) {
    const wrong = [
      !parsedConfig.JWT_SECRET && 'JWT_SECRET_PREVIOUS: only with JWT_SECRET set (the secret that replaces it)',
      parsedConfig.JWT_SECRET_PREVIOUS === parsedConfig.JWT_SECRET && 'JWT_SECRET_PREVIOUS: must differ from JWT_SECRET',
    ].filter((m): m is string => typeof m === 'string');
    if (wrong.length > 0) throw new ConfigError(wrong);
  }
  if (parsedConfig.NODE_ENV === 'production') {
    const missing = [
      !parsedConfig.JWT_SECRET && 'JWT_SECRET: required when NODE_ENV=production (at least 32 random characters)',
      !parsedConfig.KEY_MASTER_SECRET && 'KEY_MASTER_SECRET: required when NODE_ENV=production (32+ random bytes, base64)',
      !parsedConfig.AUDIT_SIGNING_KEY && 'AUDIT_SIGNING_KEY: required when NODE_ENV=production (an Ed25519 private key, PKCS#8 PEM)',
    ].filter((m): m is string => typeof m === 'string');
    if (missing.length > 0) throw new ConfigError(missing);
  }
  const readModelPath = parsedConfig.READ_MODEL_PATH ?? join(dirname(parsedConfig.SQLITE_PATH), 'read-models.sqlite');
  return Object.freeze({
    ...parsedConfig,
    READ_MODEL_PATH: readModelPath,
    // Derived like the read models: beside them, in memory when they are.
    AUDIT_INDEX_PATH:
      parsedConfig.AUDIT_INDEX_PATH ?? (readModelPath === ':memory:' ? ':memory:' : join(dirname(readModelPath), 'audit-index.sqlite')),
    PERSONAL_DATA_PATH: parsedConfig.PERSONAL_DATA_PATH ?? join(dirname(parsedConfig.SQLITE_PATH), 'personal-data-keys.sqlite'),
    // Nodes sharing a PostgreSQL store share its sessions table; otherwise a node keeps its own file.
    SESSION_STORE: parsedConfig.SESSION_STORE ?? (parsedConfig.EVENT_STORE === 'postgres' ? 'postgres' : 'sqlite'),
    // Nodes sharing a PostgreSQL store share residents' keys too (in a schema of their own), so any node takes any ballot.
    VAULT_STORE: parsedConfig.VAULT_STORE ?? (parsedConfig.EVENT_STORE === 'postgres' ? 'postgres' : 'sqlite'),
    VAULT_DATABASE_URL: parsedConfig.VAULT_DATABASE_URL ?? parsedConfig.DATABASE_URL,
    // A client spreading requests over the nodes meets the limit once, not once per node.
    RATE_LIMIT_STORE: parsedConfig.RATE_LIMIT_STORE ?? (parsedConfig.EVENT_STORE === 'postgres' ? 'postgres' : 'memory'),
    VAULT_SCHEMA: parsedConfig.VAULT_SCHEMA ?? `${parsedConfig.DATABASE_SCHEMA}_vault`,
    SESSIONS_PATH:
      parsedConfig.SESSIONS_PATH ??
      (parsedConfig.SQLITE_PATH === ':memory:' ? ':memory:' : join(dirname(parsedConfig.SQLITE_PATH), 'sessions.sqlite')),
    OIDC_STAFF_ROLES: (parsedConfig.OIDC_STAFF_ROLES ?? '')
      .split(',')
      .filter((pair) => pair.includes('='))
      .map((pair) => {
        const [role, value] = pair.split('=').map((part) => part.trim());
        return { role: role as (typeof STAFF_ROLES)[number], value };
      }),
    RESIDENT_SIGN_IN_EMAIL_CODE: parsedConfig.RESIDENT_SIGN_IN_EMAIL_CODE === 'true',
    RESIDENT_SIGN_IN_POLL_CARD: parsedConfig.RESIDENT_SIGN_IN_POLL_CARD === 'true',
    PERSONAL_DATA_EXPORTERS: (parsedConfig.PERSONAL_DATA_EXPORTERS ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id.length > 0),
    NOTIFICATIONS_EMAIL: (parsedConfig.NOTIFICATIONS_EMAIL ?? String(Boolean(parsedConfig.SMTP_HOST && parsedConfig.SMTP_FROM))) === 'true',
    NOTIFICATIONS_STORE: parsedConfig.NOTIFICATIONS_STORE ?? (parsedConfig.EVENT_STORE === 'postgres' ? 'postgres' : 'sqlite'),
    NOTIFICATIONS_PATH:
      parsedConfig.NOTIFICATIONS_PATH ??
      (parsedConfig.SQLITE_PATH === ':memory:' ? ':memory:' : join(dirname(parsedConfig.SQLITE_PATH), 'notifications.sqlite')),
    SMTP_SECURE: parsedConfig.SMTP_SECURE === 'true',
    SMTP_REQUIRE_TLS: parsedConfig.SMTP_REQUIRE_TLS === 'true',
    SEED_DEMO: (parsedConfig.SEED_DEMO ?? String(parsedConfig.NODE_ENV === 'development')) === 'true',
    GRAPHQL_INTROSPECTION: (parsedConfig.GRAPHQL_INTROSPECTION ?? String(parsedConfig.NODE_ENV !== 'production')) === 'true',
  });
}

/** The table of settings, for the README and `--help`. */
export const CONFIG_KEYS = Object.keys(schema.shape) as (keyof AppConfig)[];
