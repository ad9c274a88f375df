import { hash } from 'node:crypto';
import type { JsonObject, JsonValue } from '@civic/event-store';
import { CHECKPOINT_EVENT_TYPE, CHECKPOINT_STREAM } from '../checkpoint/checkpoint';
import { merkleLeafLatin1 } from '../merkle/merkle';
import { CHAIN_FIELD, type ChainLink } from '../hash/event-hash';
import { canonicalMetadataWithoutChain, fastCanonical, hashCanonicalParts } from '../hash/fast-event-hash';
import type { AuditRow } from './audit-row';
import { streamKeysOf } from './stream-heads';

/** Per-row flags of an inspected page. */
export const HAS_LINK = 1;
export const HAS_PREVIOUS = 2;
/** The content hashes to the stored link's hash. */
export const HASH_OK = 4;

/**
 * A page of events with everything that does not depend on other events already computed:
 * the recomputed hash, the stored link and the Merkle leaf. Plain data and transferable
 * buffers, so that worker threads can build pages and the verifier only does the ordered part.
 */
export interface InspectedPage {
  readonly count: number;
  /** Empty when the page came from a worker, which sends {@link numericPositions}: see {@link positionOf}. */
  readonly positions: string[];
  /** The positions as numbers, from a worker (SQLite's positions are integers): no string made per event. */
  readonly numericPositions?: Float64Array;
  /** Empty when the page came from a worker: see {@link rowOf}. */
  readonly ids: string[];
  /** Empty when the page came from a worker: see {@link rowOf}. */
  readonly streamNames: string[];
  /**
   * Where the ids and stream names are when the arrays are empty: a worker sends numbers only
   * (strings would be copied between threads for every event, to name the few that fail).
   */
  readonly lookUpNames?: (position: string) => { id: string; streamName: string };
  readonly revisions: Float64Array;
  /** Per row, the two keys of its stream name (see {@link streamKeysOf}): the verifier never hashes names. */
  readonly streamKeys: Float64Array;
  readonly flags: Uint8Array;
  /** Per row, 96 bytes: the recomputed hash, the stored hash, the stored previous hash (zeros when absent). */
  readonly hashes: Buffer;
  /** Per row, 32 bytes: the Merkle leaf of the recomputed hash. */
  readonly leaves: Buffer;
  /** The data of checkpoint events, by row index: the only data the ordered checks read. */
  readonly checkpointData: Record<number, JsonValue>;
}

export function inspectPage(rows: readonly AuditRow[]): InspectedPage {
  const page = emptyPage(rows.length);
  for (let i = 0; i < rows.length; i++) inspectRow(page, i, rows[i]);
  return page;
}

/** A page of `count` rows, every field allocated, to be filled row by row. */
export function emptyPage(count: number): InspectedPage {
  return {
    count,
    positions: new Array<string>(count),
    ids: new Array<string>(count),
    streamNames: new Array<string>(count),
    revisions: new Float64Array(count),
    streamKeys: new Float64Array(count * 2),
    flags: new Uint8Array(count),
    hashes: Buffer.alloc(count * 96),
    leaves: Buffer.alloc(count * 32),
    checkpointData: {},
  };
}

/** Row `i` of the page from a parsed row: the general path, for any layout of the stored texts. */
export function inspectRow(page: InspectedPage, i: number, row: AuditRow): void {
  const link = linkOf(row.metadata);
  const fields = { streamName: row.streamName, revision: row.revision, id: row.id, type: row.type, previous: link?.previous ?? null };
  let computed: string | undefined;
  const storedTexts = link && storedTextsOf(row, link);
  if (storedTexts) {
    computed = hashCanonicalParts(fields, storedTexts.data, storedTexts.metadata);
    if (computed !== link!.hash) computed = undefined; // not stored canonically: re-serialise
  }
  computed ??= recomputedHash(fields, row);
  finishRow(page, i, row.position, row.id, row.streamName, row.revision, row.type, computed, link?.hash, link?.previous ?? null, row.data);
}

/**
 * The hash of the event's canonical form. A stored value with no canonical form (JSON.parse
 * reads `1e999` as Infinity, which RFC 8785 refuses) gets a hash no writer can have recorded,
 * so that the event is named as altered rather than the run stopped.
 */
function recomputedHash(fields: Parameters<typeof hashCanonicalParts>[0], row: AuditRow): string {
  try {
    return hashCanonicalParts(fields, fastCanonical(row.data), canonicalMetadataWithoutChain(row.metadata as JsonObject).text);
  } catch {
    return hash('sha256', `no canonical form: ${row.position}`, 'hex');
  }
}

/**
 * Everything but the hash itself: names, the stream's keys, flags, the stored link and the
 * Merkle leaf. `storedHash` undefined means the event carries no (valid) chain link.
 */
export function finishRow(
  page: InspectedPage,
  i: number,
  position: string,
  id: string,
  streamName: string,
  revision: number,
  type: string,
  computed: string,
  storedHash: string | undefined,
  storedPrevious: string | null,
  data: JsonValue,
): void {
  page.positions[i] = position;
  page.ids[i] = id;
  page.streamNames[i] = streamName;
  page.revisions[i] = revision;
  streamKeysOf(String(streamName), page.streamKeys, i * 2); // String(): a tampered file may hold a null or a number
  const { hashes } = page;
  const at = i * 96;
  hashes.write(computed, at, 32, 'hex');
  let flags = 0;
  if (storedHash !== undefined) {
    flags |= HAS_LINK;
    if (computed === storedHash) {
      flags |= HASH_OK;
      for (let k = at; k < at + 32; k++) hashes[k + 32] = hashes[k];
    } else {
      hashes.write(storedHash, at + 32, 32, 'hex');
    }
    if (storedPrevious !== null) {
      flags |= HAS_PREVIOUS;
      hashes.write(storedPrevious, at + 64, 32, 'hex');
    }
  }
  page.flags[i] = flags;
  page.leaves.write(merkleLeafLatin1(hashes, at), i * 32, 32, 'latin1');
  if (streamName === CHECKPOINT_STREAM && type === CHECKPOINT_EVENT_TYPE) page.checkpointData[i] = data;
}

/** The position of row `i`, as the store names it. */
export function positionOf(page: InspectedPage, i: number): string {
  return page.numericPositions ? String(page.numericPositions[i]) : page.positions[i];
}

/** The fields that name row `i` in a report. */
export function rowOf(page: InspectedPage, i: number): { position: string; streamName: string; revision: number; id: string } {
  const position = positionOf(page, i);
  const names = page.ids.length > 0 ? { id: page.ids[i], streamName: page.streamNames[i] } : page.lookUpNames!(position);
  return { position, streamName: names.streamName, revision: page.revisions[i], id: names.id };
}

/**
 * The stored chain link, checked for shape only: a link that is not lower-case hex cannot
 * equal a recomputed hash, so it fails there, without a regular expression per event.
 */
function linkOf(metadata: JsonObject): ChainLink | undefined {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return undefined;
  const raw = metadata[CHAIN_FIELD] as { hash?: unknown; previous?: unknown } | undefined;
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { hash: h, previous } = raw;
  if (typeof h !== 'string' || h.length !== 64) return undefined;
  if (previous !== null && (typeof previous !== 'string' || previous.length !== 64)) return undefined;
  return { hash: h, previous };
}

/**
 * The stored texts of data and of metadata without its chain, when the chain is the last
 * member of the stored metadata (as the ChainedEventStore writes it). Hashing them as stored
 * is sound: each parsed as one JSON value, so if the text they make hashes to the recorded
 * hash it is that event's canonical form, and they are its data and metadata. Any other
 * layout (or a mismatch) takes the re-serialising path.
 */
function storedTextsOf(row: AuditRow, link: ChainLink): { data: string; metadata: string } | undefined {
  const { dataJson, metadataJson } = row;
  if (dataJson === undefined || metadataJson === undefined) return undefined;
  // The member exactly as JSON.stringify writes the link; any other spelling takes the slow path.
  const member = `"${CHAIN_FIELD}":{"hash":"${link.hash}","previous":${link.previous === null ? 'null' : `"${link.previous}"`}}}`;
  if (metadataJson.length === member.length + 1 && metadataJson[0] === '{' && metadataJson.endsWith(member))
    return { data: dataJson, metadata: '{}' };
  if (
    metadataJson.length > member.length + 1 &&
    metadataJson.endsWith(member) &&
    metadataJson[metadataJson.length - member.length - 1] === ','
  ) {
    return { data: dataJson, metadata: `${metadataJson.slice(0, metadataJson.length - member.length - 1)}}` };
  }
  return undefined;
}
