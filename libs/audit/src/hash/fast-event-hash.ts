import { hash } from 'node:crypto';
import type { JsonObject, JsonValue } from '@civic/event-store';
import { canonicalJson } from './canonical-json';
import { CHAIN_FIELD, splitChain, type HashableEvent } from './event-hash';

/**
 * `eventHash`, faster on values whose keys are already in RFC 8785 order (which is how the
 * ChainedEventStore stores them): JCS and `JSON.stringify` agree on strings, numbers and
 * layout and differ only in key order, so for such values the native serialiser gives the
 * canonical form. Any other value takes the general path. The unit tests check both agree.
 */
export function fastEventHash(e: HashableEvent): string {
  return hashCanonicalParts(e, fastCanonical(e.data), fastCanonical(e.metadata));
}

/** The event hash from the canonical texts of data and metadata (without the chain). */
export function hashCanonicalParts(e: HashedFields, dataText: string, metadataText: string): string {
  return hash('sha256', canonicalText(e, dataText, metadataText), 'hex');
}

type HashedFields = {
  readonly streamName: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly previous: string | null;
};

/** RFC 8785 of the hashed object, given the canonical texts of data and metadata: keys in order, fixed layout. */
function canonicalText(e: HashedFields, dataText: string, metadataText: string): string {
  return (
    `{"data":${dataText},"id":${JSON.stringify(e.id)},"metadata":${metadataText}` +
    `,"previous":${e.previous === null ? 'null' : JSON.stringify(e.previous)},"revision":${e.revision}` +
    `,"stream":${JSON.stringify(e.streamName)},"type":${JSON.stringify(e.type)}}`
  );
}

export function fastCanonical(value: JsonValue): string {
  return inCanonicalOrder(value) ? JSON.stringify(value) : canonicalJson(value);
}

/**
 * The canonical text of stored metadata without its chain field, and the raw chain value.
 * The ChainedEventStore writes the chain as the last key, so the common case serialises the
 * whole object natively and cuts the chain off the end of the text.
 */
export function canonicalMetadataWithoutChain(metadata: JsonObject): { text: string; chain: JsonValue | undefined } {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    return { text: canonicalJson(metadata as JsonValue), chain: undefined };
  }
  let previous: string | undefined;
  let chainLast = false;
  let hasChain = false;
  let others = 0;
  for (const key in metadata) {
    if (key === CHAIN_FIELD) {
      chainLast = hasChain = true;
      continue;
    }
    others++;
    if (chainLast || (previous !== undefined && !(previous < key)) || !inCanonicalOrder(metadata[key])) return slow(metadata);
    previous = key;
  }
  if (!hasChain) return { text: JSON.stringify(metadata), chain: undefined };
  const chain = metadata[CHAIN_FIELD];
  if (others === 0) return { text: '{}', chain };
  const full = JSON.stringify(metadata);
  const suffix = 8 + JSON.stringify(chain).length + 1; // `"chain":` … `}`, after the comma
  return { text: `${full.slice(0, full.length - suffix - 1)}}`, chain };
}

function slow(metadata: JsonObject): { text: string; chain: JsonValue | undefined } {
  const { metadata: rest } = splitChain(metadata);
  return { text: canonicalJson(rest), chain: metadata[CHAIN_FIELD] };
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
