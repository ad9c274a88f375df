import { hash } from 'node:crypto';
import type { JsonObject, JsonValue } from '@civic/event-store';
import { canonicalJson } from './canonical-json';
import type { HashableEvent } from './event-hash';

/**
 * `eventHash`, faster on values whose keys are already in RFC 8785 order (which is how the
 * ChainedEventStore stores them): JCS and `JSON.stringify` agree on strings, numbers and
 * layout and differ only in key order, so for such values the native serialiser gives the
 * canonical form. Any other value takes the general path. The unit tests check both agree.
 */
export function fastEventHash(e: HashableEvent): string {
  const text =
    `{"data":${fastCanonical(e.data)},"id":${JSON.stringify(e.id)},"metadata":${fastCanonical(e.metadata)}` +
    `,"previous":${e.previous === null ? 'null' : JSON.stringify(e.previous)},"revision":${e.revision}` +
    `,"stream":${JSON.stringify(e.streamName)},"type":${JSON.stringify(e.type)}}`;
  return hash('sha256', text, 'hex');
}

export function fastCanonical(value: JsonValue): string {
  return inCanonicalOrder(value) ? JSON.stringify(value) : canonicalJson(value);
}

/** Whether every object's own keys enumerate in strictly increasing UTF-16 order (JS `<` on strings). */
function inCanonicalOrder(value: JsonValue): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!inCanonicalOrder(value[i])) return false;
    return true;
  }
  let previous: string | undefined;
  for (const key in value as JsonObject) {
    if (previous !== undefined && !(previous < key)) return false;
    previous = key;
    if (!inCanonicalOrder((value as JsonObject)[key])) return false;
  }
  return true;
}
