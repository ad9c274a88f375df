import { canonicalize } from 'json-canonicalize';
import type { JsonValue } from '@civic/event-store';

/**
 * The RFC 8785 (JCS) form of a JSON value: keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings as ECMAScript serialises them. Two writers on two
 * machines produce the same bytes for the same value, which is what a hash needs.
 */
export function canonicalJson(value: JsonValue): string {
  return canonicalize(value);
}
