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

/**
 * `canonicalJson` of a value already checked to be plain JSON (`assertPlainJson`), and a copy
 * of it with every object's keys inserted in that order: what the audit chain hashes and
 * stores, made in one walk (the library's walk, then parsing its text back, cost three times
 * as much on every event written). Keys sort by UTF-16 code units, as `<` and `Array#sort`
 * compare strings; strings and numbers are as `JSON.stringify` writes them, as RFC 8785 says.
 */
export function canonicalCopy(value: JsonValue): { text: string; copy: JsonValue } {
  const text = walk(value);
  return { text, copy: walked };
}

/** The copy `walk` made of the value it was last given. */
let walked: JsonValue = null;

function walk(value: JsonValue): string {
  if (value === null || typeof value !== 'object') {
    // -0 is written 0, and parsed back as 0.
    walked = value === 0 ? 0 : value;
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    const copy: JsonValue[] = new Array<JsonValue>(value.length);
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) text += ',';
      text += walk(value[i]);
      copy[i] = walked;
    }
    walked = copy;
    return `${text}]`;
  }
  const keys = sortKeys(Object.keys(value));
  const copy: Record<string, JsonValue> = {};
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (i > 0) text += ',';
    text += `${JSON.stringify(key)}:${walk(value[key] as JsonValue)}`;
    // An own key, as JSON.parse makes it: assigning `__proto__` would set the prototype instead.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: walked, enumerable: true, writable: true, configurable: true });
    else copy[key] = walked;
  }
  walked = copy;
  return `${text}}`;
}

/**
 * The keys in place in UTF-16 order: by insertion for the few keys of an event's objects, which
 * allocates nothing (`Array#sort` allocated more than the rest of the walk), else `Array#sort`.
 */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 32) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    for (; j >= 0 && keys[j] > key; j--) keys[j + 1] = keys[j];
    keys[j + 1] = key;
  }
  return keys;
}
