import { hash } from 'node:crypto';
import type { JsonObject, JsonValue } from '@civic/event-store';
import { CHECKPOINT_EVENT_TYPE, CHECKPOINT_STREAM } from '../checkpoint/checkpoint';
import { asChainLink } from '../hash/event-hash';
import { canonicalMetadataWithoutChain, fastCanonical, hashCanonicalPartsToBuffer } from '../hash/fast-event-hash';
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

const LEAF_PREFIX = 0x00;

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
  const scratch = Buffer.alloc(33);
  scratch[0] = LEAF_PREFIX;
  for (let i = 0; i < count; i++) {
    const row = rows[i];
    page.positions[i] = row.position;
    page.ids[i] = row.id;
    page.streamNames[i] = row.streamName;
    page.types[i] = row.type;
    page.revisions[i] = row.revision;
    const metadata = canonicalMetadataWithoutChain(row.metadata as JsonObject);
    const link = metadata.chain === undefined ? undefined : asChainLink(metadata.chain);
    const computed = hashCanonicalPartsToBuffer(
      { streamName: row.streamName, revision: row.revision, id: row.id, type: row.type, previous: link?.previous ?? null },
      fastCanonical(row.data),
      metadata.text,
    );
    const at = i * 96;
    computed.copy(page.hashes, at);
    let flags = 0;
    if (link) {
      flags |= HAS_LINK;
      page.hashes.write(link.hash, at + 32, 32, 'hex');
      if (page.hashes.compare(page.hashes, at, at + 32, at + 32, at + 64) === 0) flags |= HASH_OK;
      if (link.previous !== null) {
        flags |= HAS_PREVIOUS;
        page.hashes.write(link.previous, at + 64, 32, 'hex');
      }
    }
    page.flags[i] = flags;
    page.hashes.copy(scratch, 1, at, at + 32);
    hash('sha256', scratch, 'buffer').copy(page.leaves, i * 32);
    if (row.streamName === CHECKPOINT_STREAM && row.type === CHECKPOINT_EVENT_TYPE) page.checkpointData[i] = row.data;
  }
  return page;
}
