import { GraphQLError } from 'graphql';

/**
 * Stable codes are `AREA.REASON` (`BALLOT.VOTING_CLOSED`, `EVENT_STORE.WRONG_EXPECTED_VERSION`)
 * or one of the API's own words. Driver and Node codes (`SQLITE_BUSY`, `ECONNREFUSED`) have
 * no dot, so their messages, which may hold SQL or paths, never pass.
 */
export const STABLE_CODE = /^[A-Z][A-Z_]*\.[A-Z][A-Z_]*$|^(RATE_LIMITED|NOT_FOUND|UNAVAILABLE)$/;

/** A dependency not there (the store, the vault): the operator's concern, not the caller's. */
const UNAVAILABLE = /UNAVAILABLE$|\.CLOSED$/;
/** Stable codes that still mean something is wrong inside: a broken history, exact arithmetic gone astray. */
const FAILURE = /^AUDIT\.|^ALLOCATION\.ARITHMETIC$/;

export type Severity = 'info' | 'warn' | 'error';

/** The stable code an error carries (its own, or its GraphQL extensions'), if any. */
export function stableCode(error: unknown): string | undefined {
  const own = (error as { code?: unknown } | undefined)?.code;
  const code = error instanceof GraphQLError ? (error.extensions?.code ?? own) : own;
  return typeof code === 'string' && STABLE_CODE.test(code) ? code : undefined;
}

/**
 * How loud an error thrown while answering is in the logs. A refusal (a stable code: the
 * caller's input or the state said no) is routine: info, without a stack. A dependency that
 * is unavailable: warn. Anything else is unexpected: error, with its stack.
 */
export function severityOf(error: unknown): { severity: Severity; code?: string } {
  const code = stableCode(error);
  if (!code || FAILURE.test(code)) return { severity: 'error', code };
  return { severity: UNAVAILABLE.test(code) ? 'warn' : 'info', code };
}
