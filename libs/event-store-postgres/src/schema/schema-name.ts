/**
 * The rule for the PostgreSQL schema a store owns, in one place for the adapter, the
 * configuration (DATABASE_SCHEMA), the CLI (`--schema`) and the audit witness. Commits are
 * announced on the channel `civic_events_<schema>`, and PostgreSQL cuts identifiers past 63
 * bytes (two long names would then share a channel): the schema name leaves room for it.
 * Free of imports, so the configuration can check it without loading the driver.
 */
export const NOTIFY_CHANNEL_PREFIX = 'civic_events_';
const MAX_IDENTIFIER = 63;
/** The longest schema name: 50 characters. */
export const MAX_SCHEMA_NAME = MAX_IDENTIFIER - NOTIFY_CHANNEL_PREFIX.length;
export const SCHEMA_NAME = new RegExp(`^[a-z_][a-z0-9_]{0,${MAX_SCHEMA_NAME - 1}}$`);
export const SCHEMA_NAME_RULE = `lower-case letters, digits and _, starting with a letter or _, at most ${MAX_SCHEMA_NAME} characters`;

/** A schema name the store refuses; names what to fix. */
export class InvalidSchemaNameError extends Error {
  readonly code = 'EVENT_STORE.INVALID_SCHEMA';
  constructor(readonly schema: string) {
    super(`Invalid schema name "${schema}": use ${SCHEMA_NAME_RULE}`);
    this.name = 'InvalidSchemaNameError';
  }
}

/** `"schema"`, after checking the name follows the rule. */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new InvalidSchemaNameError(schema);
  return `"${schema}"`;
}
