import { hash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { JsonObject, JsonValue } from '@civic/event-store';
import type { AuditRow } from '../audit-row';
import { CHECKPOINT_STREAM } from '../../checkpoint/checkpoint';
import { emptyPage, finishRow, inspectRow, type InspectedPage } from '../inspected-page';

const UNPARSED = {} as never;

/** A row of SELECT_RANGE, raw. */
export type StoredRow = [number, string, string, number, string, string, string];

/** The SQLite adapter's table, as the audit reads it (libs/event-store-sqlite/src/schema.ts). */
export const SELECT_RANGE =
  'SELECT position, event_id, stream_name, revision, type, data, metadata FROM events WHERE position BETWEEN ? AND ? ORDER BY position';

/** Rows with positions in [from, to], inspected: {@link inspectStoredRow} on each. */
export function inspectRange(statement: Database.Statement, from: number, to: number): InspectedPage {
  const rows = statement.all(from, to) as StoredRow[];
  const page = emptyPage(rows.length);
  for (let i = 0; i < rows.length; i++) inspectStoredRow(page, i, rows[i]);
  return page;
}

/** A stored row with its JSON parsed (a text that does not parse is kept as a string, so that its hash fails). */
export function parsedRow([position, id, streamName, revision, type, data, metadata]: StoredRow): AuditRow {
  // Every field set up front, so that every row has one hidden class.
  const row: { -readonly [K in keyof AuditRow]: AuditRow[K] } = {
    position: String(position),
    id,
    streamName,
    revision,
    type,
    data: UNPARSED,
    metadata: UNPARSED,
    dataJson: undefined,
    metadataJson: undefined,
  };
  try {
    row.data = JSON.parse(data) as JsonValue;
    row.dataJson = data;
  } catch {
    row.data = data; // kept as a string, so its hash fails and the event is named
  }
  try {
    row.metadata = JSON.parse(metadata) as JsonObject;
    row.metadataJson = metadata;
  } catch {
    row.metadata = metadata as never;
  }
  return row;
}

// The chain member as the ChainedEventStore writes it, last in the stored metadata:
// `"chain":{"hash":"<64 hex>","previous":null}}` or `…,"previous":"<64 hex>"}}`.
const HEAD = '"chain":{"hash":"';
const MIDDLE = '","previous":';
const NULL_END = 'null}}';
const HEX_END = '"}}';
const NULL_TAIL = HEAD.length + 64 + MIDDLE.length + NULL_END.length;
const HEX_TAIL = HEAD.length + 64 + MIDDLE.length + 1 + 64 + HEX_END.length;

/**
 * One stored row, inspected. The common case, a row as the ChainedEventStore writes it, costs
 * one SHA-256 of the texts as stored and no `JSON.parse`: the chain member is cut off the end
 * of the metadata (fixed layout, checked character by character), and the hashed text is
 *
 *   T = `{"data":` data `,"id":` id `,"metadata":` metadata-without-chain `,"previous":` … `}`.
 *
 * If T hashes to the recorded hash, T is the canonical text C the writer hashed, so it is
 * valid JSON whose `data` value starts right after `{"data":`. What remains to show is that
 * the stored texts are C's members, not a different cut of the same characters:
 * - data: {@link isOneValue} checks that the stored data ends exactly where the JSON value it
 *   starts ends (a scan that is exact inside valid JSON), so it is C's `data` member;
 * - metadata: then both texts continue alike up to the metadata (the id is a JSON string in
 *   both, and a JSON string ends at its first unescaped quote), and what follows it in T
 *   (`,"previous":` a null or a 64-hex-digit string, `,"revision":` digits, `,"stream":` and
 *   `,"type":` JSON strings) holds `,"previous":` only at its start (a bare `,"` cannot occur
 *   inside a JSON string), as does what follows it in C; so the two tails have one length and
 *   the stored metadata is C's `metadata` member, a canonical object; with the chain member
 *   put back (a 64-hex-digit hash equal to the recomputed one and a hex or null previous) the
 *   stored metadata is one valid JSON object too.
 * Anything else (another layout, a hash that does not match, a cut that does not fall on the
 * value's end) takes the general path, {@link inspectRow}, which parses and re-serialises.
 * The unit tests check this path against the general one on every kind of JSON value, and
 * that shifted cuts which keep the hash fall through to it.
 */
export function inspectStoredRow(page: InspectedPage, i: number, raw: StoredRow): void {
  const [position, id, streamName, revision, type, dataText, metadataText] = raw;
  const length = metadataText.length;
  let tail = 0;
  let previous: string | null = null;
  if (metadataText.endsWith(NULL_END)) {
    if (length > NULL_TAIL) tail = NULL_TAIL;
  } else if (metadataText.endsWith(HEX_END) && length > HEX_TAIL) {
    previous = metadataText.slice(length - HEX_END.length - 64, length - HEX_END.length);
    if (metadataText.charCodeAt(length - HEX_END.length - 65) === 34 /* " */ && HEX_DIGEST.test(previous)) tail = HEX_TAIL;
  }
  const head = length - tail; // where the chain member begins
  if (
    tail !== 0 &&
    metadataText.startsWith(HEAD, head) &&
    metadataText.startsWith(MIDDLE, head + HEAD.length + 64) &&
    metadataText.charCodeAt(0) === 123 /* { */
  ) {
    const before = metadataText.charCodeAt(head - 1);
    // `{"chain":…}`, or `{…,"chain":…}` with at least one member before the chain.
    const metadataWithoutChain = head === 1 ? '{}' : before === 44 /* , */ && head > 2 ? `${metadataText.slice(0, head - 1)}}` : undefined;
    if (metadataWithoutChain !== undefined) {
      const storedHash = metadataText.slice(head + HEAD.length, head + HEAD.length + 64);
      const computed = hash(
        'sha256',
        `{"data":${dataText},"id":${JSON.stringify(id)},"metadata":${metadataWithoutChain}` +
          `,"previous":${previous === null ? 'null' : `"${previous}"`},"revision":${revision}` +
          `,"stream":${JSON.stringify(streamName)},"type":${JSON.stringify(type)}}`,
        'hex',
      );
      if (computed === storedHash && isOneValue(dataText) && typeof revision === 'number' && allStrings(id, streamName, type)) {
        // Only a checkpoint's data is read by the ordered checks.
        const data = streamName === CHECKPOINT_STREAM ? (JSON.parse(dataText) as JsonValue) : null;
        return finishRow(page, i, String(position), id, streamName, revision, type, computed, storedHash, previous, data);
      }
    }
  }
  inspectRow(page, i, parsedRow(raw));
}

const HEX_DIGEST = /^[0-9a-f]{64}$/;

/** Columns a tampered file might hold as numbers, nulls or blobs: the proof above needs strings. */
const allStrings = (a: unknown, b: unknown, c: unknown) => typeof a === 'string' && typeof b === 'string' && typeof c === 'string';

/**
 * Whether `text` is exactly the JSON value it starts with, given that it is a cut of a valid
 * JSON text starting where a value starts and followed there by a comma (in the hashed text,
 * `,"id":`): a container closes at its last character, a string's closing quote is its last
 * character, a literal or a number has no comma (else it ran on past the value; and it cannot
 * stop short of the value's end, since a comma follows the cut). Exact only under that premise
 * (it does not validate); the caller has it from the hash.
 */
export function isOneValue(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first === 34 /* " */) return closingQuote(text, 0) === text.length - 1;
  if (first !== 123 /* { */ && first !== 91 /* [ */) return text.length > 0 && !text.includes(',');
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i = closingQuote(text, i);
      if (i < 0) return false;
    } else if (c === 123 || c === 91) {
      depth++;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (--depth === 0) return i === text.length - 1;
    }
  }
  return false;
}

/** The index of the quote closing the string opened at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  for (let i = text.indexOf('"', open + 1); i >= 0; i = text.indexOf('"', i + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(i - 1 - backslashes) === 92 /* \ */) backslashes++;
    if (backslashes % 2 === 0) return i;
  }
  return -1;
}
