import type { JsonObject, JsonValue } from '@civic/event-store';
import { CHECKPOINT_EVENT_TYPE, CHECKPOINT_STREAM } from '../checkpoint/checkpoint';
import { merkleLeafLatin1 } from '../merkle/merkle';
import { CHAIN_FIELD, type ChainLink } from '../hash/event-hash';
import { canonicalMetadataWithoutChain, fastCanonical, hashCanonicalParts } from '../hash/fast-event-hash';
import type { AuditRow } from './audit-row';

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
  readonly positions: string[];
  readonly ids: string[];
  readonly streamNames: string[];
  readonly types: string[];
  readonly revisions: Float64Array;
  readonly flags: Uint8Array;
  /** Per row, 96 bytes: the recomputed hash, the stored hash, the stored previous hash (zeros when absent). */
  readonly hashes: Buffer;
  /** Per row, 32 bytes: the Merkle leaf of the recomputed hash. */
  readonly leaves: Buffer;
  /** The data of checkpoint events, by row index: the only data the ordered checks read. */
  readonly checkpointData: Record<number, JsonValue>;
}

export function inspectPage(rows: readonly AuditRow[]): InspectedPage {
  const count = rows.length;
  const page: InspectedPage = {
    count,
    positions: new Array<string>(count),
    ids: new Array<string>(count),
    streamNames: new Array<string>(count),
    types: new Array<string>(count),
    revisions: new Float64Array(count),
    flags: new Uint8Array(count),
    hashes: Buffer.alloc(count * 96),
    leaves: Buffer.alloc(count * 32),
    checkpointData: {},
  };
  for (let i = 0; i < count; i++) {
    const row = rows[i];
    page.positions[i] = row.position;
    page.ids[i] = row.id;
    page.streamNames[i] = row.streamName;
    page.types[i] = row.type;
    page.revisions[i] = row.revision;
    const link = linkOf(row.metadata);
    const fields = { streamName: row.streamName, revision: row.revision, id: row.id, type: row.type, previous: link?.previous ?? null };
    let computed: string | undefined;
    const storedTexts = link && storedTextsOf(row, link);
    if (storedTexts) {
      computed = hashCanonicalParts(fields, storedTexts.data, storedTexts.metadata);
      if (computed !== link!.hash) computed = undefined; // not stored canonically: re-serialise
    }
    computed ??= hashCanonicalParts(fields, fastCanonical(row.data), canonicalMetadataWithoutChain(row.metadata as JsonObject).text);
    const at = i * 96;
    page.hashes.write(computed, at, 32, 'hex');
    let flags = 0;
    if (link) {
      flags |= HAS_LINK;
      page.hashes.write(link.hash, at + 32, 32, 'hex');
      if (computed === link.hash) flags |= HASH_OK;
      if (link.previous !== null) {
        flags |= HAS_PREVIOUS;
        page.hashes.write(link.previous, at + 64, 32, 'hex');
      }
    }
    page.flags[i] = flags;
    page.leaves.write(merkleLeafLatin1(page.hashes, at), i * 32, 32, 'latin1');
    if (row.streamName === CHECKPOINT_STREAM && row.type === CHECKPOINT_EVENT_TYPE) page.checkpointData[i] = row.data;
  }
  return page;
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
  if (metadataJson.length === member.length + 1 && metadataJson[0] === '{' && metadataJson.endsWith(member)) return { data: dataJson, metadata: '{}' };
  if (metadataJson.length > member.length + 1 && metadataJson.endsWith(member) && metadataJson[metadataJson.length - member.length - 1] === ',') {
    return { data: dataJson, metadata: `${metadataJson.slice(0, metadataJson.length - member.length - 1)}}` };
  }
  return undefined;
}
