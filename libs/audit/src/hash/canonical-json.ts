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

/** How much of the text {@link writeCanonicalJson} gathers before handing it on. */
const CHUNK = 1 << 16;

/**
 * The RFC 8785 form of `JSON.parse(JSON.stringify(value))`, handed to `write` in pieces of
 * about 64 KB (to a hash, say) instead of built whole: the same bytes as `canonicalJson` of
 * that round trip, for a value of plain data (members undefined, functions or symbols left out
 * of objects and written null in arrays, `toJSON` called, numbers that are not finite written
 * null, as `JSON.stringify` does). A pot's ballots, digested, were one text of megabytes and,
 * in the library's walk, a path string for every object met, all held until the end.
 */
export function writeCanonicalJson(value: unknown, write: (text: string) => void): void {
  let text = '';
  const out = (piece: string) => {
    text += piece;
    if (text.length >= CHUNK) {
      write(text);
      text = '';
    }
  };
  const member = (key: string, v: unknown): unknown => {
    const json = v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function';
    return json ? (v as { toJSON: (key: string) => unknown }).toJSON(key) : v;
  };
  const skipped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object') {
      out(typeof v === 'number' && !Number.isFinite(v) ? 'null' : JSON.stringify(v));
      return;
    }
    if (Array.isArray(v)) {
      out('[');
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out(',');
        const item = member(String(i), v[i]);
        if (skipped(item)) out('null');
        else visit(item);
      }
      out(']');
      return;
    }
    const record = v as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    out('{');
    let first = true;
    for (const key of keys) {
      const item = member(key, record[key]);
      if (skipped(item)) continue;
      out(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
      first = false;
      visit(item);
    }
    out('}');
  };
  visit(member('', value));
  if (text.length > 0) write(text);
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

/**
 * `canonicalCopy` of any value, checked in the same walk to be plain JSON as `assertPlainJson`
 * checks it (strings well formed, finite numbers, plain objects and arrays, at most 256 levels):
 * undefined when it is not, for the caller to name the problem (`assertPlainJson` does). Every
 * event written goes through this: one walk instead of one to check and one to copy.
 */
export function checkedCanonicalCopy(value: unknown): { text: string; copy: JsonValue } | undefined {
  checking = true;
  plain = true;
  try {
    const text = walk(value as JsonValue, 0);
    return plain ? { text, copy: walked } : undefined;
  } finally {
    checking = false;
  }
}

/** The copy `walk` made of the value it was last given. */
let walked: JsonValue = null;
/** Whether `walk` checks what it walks, and whether everything it checked was plain JSON. */
let checking = false;
let plain = true;

const MAX_DEPTH = 256;

function walk(value: JsonValue, depth = 0): string {
  if (checking && !isPlainLeafOrContainer(value, depth)) {
    plain = false;
    walked = null;
    return '';
  }
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
      text += walk(value[i], depth + 1);
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
    text += `${JSON.stringify(key)}:${walk(value[key] as JsonValue, depth + 1)}`;
    // An own key, as JSON.parse makes it: assigning `__proto__` would set the prototype instead.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: walked, enumerable: true, writable: true, configurable: true });
    else copy[key] = walked;
  }
  walked = copy;
  return `${text}}`;
}

/** `assertPlainJson`'s rule for one value, its members aside. */
function isPlainLeafOrContainer(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
      return value.isWellFormed();
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null || Array.isArray(value)) return depth <= MAX_DEPTH;
      const proto = Object.getPrototypeOf(value);
      return depth <= MAX_DEPTH && (proto === Object.prototype || proto === null);
    }
    default:
      return false;
  }
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
