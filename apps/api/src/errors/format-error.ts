import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { STABLE_CODE } from './severity';

/** Error codes Apollo and GraphQL themselves raise before any resolver (validation, parsing, armor). */
const PASS_THROUGH = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

const STORE_REFUSED_INPUT = 'A value in the request cannot be stored: an id too long or with characters ids may not hold.';

/**
 * The one mapper from errors to what a client sees: a domain, store or API error keeps its
 * stable code and plain message; anything else becomes INTERNAL_SERVER_ERROR with a generic
 * message in production, so no stack, SQL or file path ever leaves the server.
 */
export function formatError(production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error) as { code?: unknown; message?: string; details?: unknown } | undefined;
    const extensionCode = formatted.extensions?.code;
    if (typeof extensionCode === 'string' && PASS_THROUGH.has(extensionCode)) {
      return { message: formatted.message, locations: formatted.locations, extensions: { code: extensionCode } };
    }
    const code = typeof original?.code === 'string' && STABLE_CODE.test(original.code) ? original.code : undefined;
    if (code === 'EVENT_STORE.INVALID_INPUT') {
      // The store refused a stream name or an event it cannot hold: only the request's values
      // can cause that, so it is bad input, said without the store's own words.
      return { message: STORE_REFUSED_INPUT, locations: formatted.locations, path: formatted.path, extensions: { code: 'INPUT.INVALID' } };
    }
    if (code) {
      return {
        message: original?.message ?? formatted.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code, ...refusalDetails(original?.details) },
      };
    }
    if (typeof extensionCode === 'string' && STABLE_CODE.test(extensionCode) && extensionCode !== 'INTERNAL_SERVER_ERROR') {
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: extensionCode } };
    }
    return {
      message: production ? 'Something went wrong on the server.' : formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: production
        ? { code: 'INTERNAL_SERVER_ERROR' }
        : { code: 'INTERNAL_SERVER_ERROR', stacktrace: formatted.extensions?.stacktrace },
    };
  };
}

/**
 * The field a refusal points at and the values of its message (`extensions.field`,
 * `extensions.params`), so that a form shows it at its field in the user's language. Only
 * a short field name and plain numbers or short strings pass.
 */
function refusalDetails(details: unknown): { field?: string; params?: Record<string, string | number> } {
  if (!details || typeof details !== 'object') return {};
  const { field, params } = details as { field?: unknown; params?: unknown };
  const out: { field?: string; params?: Record<string, string | number> } = {};
  if (typeof field === 'string' && /^[A-Za-z][A-Za-z0-9.]{0,63}$/.test(field)) out.field = field;
  if (params && typeof params === 'object') {
    const safe = Object.entries(params).filter(([, v]) => typeof v === 'number' || (typeof v === 'string' && v.length <= 100));
    if (safe.length) out.params = Object.fromEntries(safe) as Record<string, string | number>;
  }
  return out;
}
